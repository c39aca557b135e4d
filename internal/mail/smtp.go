package mail

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPSender delivers through an SMTP server named by a URL:
// smtp://user:pass@host:587 uses STARTTLS (required unless the host is a
// loopback address or ?tls=opportunistic|none says otherwise), and
// smtps://host:465 uses implicit TLS.
type SMTPSender struct {
	url    *url.URL
	client *gomail.Client
}

// NewSMTPSender checks the URL and prepares a client.
func NewSMTPSender(u *url.URL, helo string) (*SMTPSender, error) {
	host := u.Hostname()
	port := 587
	if u.Scheme == "smtps" {
		port = 465
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("smtp url: bad port %q", p)
		}
		port = n
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(30 * time.Second)}
	if helo != "" {
		opts = append(opts, gomail.WithHELO(helo))
	}
	if u.Scheme == "smtps" {
		opts = append(opts, gomail.WithSSL())
	} else {
		policy := gomail.TLSMandatory
		if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
			policy = gomail.TLSOpportunistic
		}
		switch u.Query().Get("tls") {
		case "none":
			policy = gomail.NoTLS
		case "opportunistic":
			policy = gomail.TLSOpportunistic
		case "", "starttls":
		default:
			return nil, fmt.Errorf("smtp url: tls=%q: want starttls, opportunistic or none", u.Query().Get("tls"))
		}
		opts = append(opts, gomail.WithTLSPolicy(policy))
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	c, err := gomail.NewClient(host, opts...)
	if err != nil {
		return nil, err
	}
	return &SMTPSender{url: u, client: c}, nil
}

// Send delivers one message over a fresh connection.
func (s *SMTPSender) Send(ctx context.Context, m *gomail.Msg) error {
	return s.client.DialAndSendWithContext(ctx, m)
}

// Describe names the server without credentials.
func (s *SMTPSender) Describe() string { return s.url.Scheme + "://" + s.url.Host }
