-- Messages are delivered several at a time, but one person's in the order
-- they were written: a message is not taken while another to the same
-- address is being sent. This finds those being sent by address.
CREATE INDEX outbox_sending ON outbox(to_addr) WHERE status = 'sending';
