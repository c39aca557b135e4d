// Package printer turns a document Puente rendered into a PDF with
// headless Chromium, the same engine the browser tests drive. The
// document never reaches the network: every request it makes is answered
// from the site's own static files, or refused.
package printer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"mime"
	"net/url"
	"os"
	"os/exec"
	"path"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Origin is the address a document gives its own files (stylesheets):
// the printer answers for it from Static; it resolves nowhere else.
const Origin = "http://puente.invalid"

// Printer starts one Chromium when first asked and prints one document
// at a time in it.
type Printer struct {
	// Exec is Chromium's path; empty finds it on the PATH.
	Exec string
	// Static serves the requests for Origin + "/static/…".
	Static fs.FS
	Log    *slog.Logger

	mu      sync.Mutex
	browser context.Context
	stop    func()
}

// ExecPath finds Chromium: given if it exists, else the usual names on
// the PATH; "" if none.
func ExecPath(given string) string {
	if given != "" {
		if _, err := os.Stat(given); err == nil {
			return given
		}
		return ""
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Available reports whether there is a Chromium to print with.
func (p *Printer) Available() bool { return ExecPath(p.Exec) != "" }

// Close stops the browser.
func (p *Printer) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		p.stop()
		p.browser, p.stop = nil, nil
	}
}

// start launches Chromium; the caller holds mu.
func (p *Printer) start() error {
	if p.browser != nil && p.browser.Err() == nil {
		return nil
	}
	if p.stop != nil {
		// The browser died: what is left of it goes before a new one.
		p.stop()
		p.browser, p.stop = nil, nil
	}
	path := ExecPath(p.Exec)
	if path == "" {
		return errors.New("no Chromium found")
	}
	dir, err := os.MkdirTemp("", "puente-printer-")
	if err != nil {
		return err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.DisableGPU,
		chromedp.UserDataDir(dir),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		// Whatever the fetch interception lets through would still go
		// nowhere: every name resolves to nothing.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
	)
	if os.Geteuid() == 0 {
		// Chromium's sandbox refuses to run as root (a container).
		opts = append(opts, chromedp.NoSandbox)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancel := chromedp.NewContext(alloc)
	if err := chromedp.Do(browser); err != nil {
		cancel()
		cancelAlloc()
		os.RemoveAll(dir)
		return fmt.Errorf("start Chromium: %w", err)
	}
	p.browser = browser
	p.stop = func() { cancel(); cancelAlloc(); os.RemoveAll(dir) }
	return nil
}

// PDF prints doc, an HTML document, to A4 pages with footer (and the page
// number) at the foot of each.
func (p *Printer) PDF(ctx context.Context, doc []byte, footer string) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.start(); err != nil {
		return nil, err
	}
	tab, cancel := chromedp.NewContext(p.browser)
	defer cancel()
	// The request's deadline bounds the tab, not the browser.
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	// Every request of the tab stops here: answered from Static, or
	// refused.
	paused := chromedp.Events(tab, fetch.RequestPaused)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			p.answer(tab, ev)
		}
	}()
	err := chromedp.Do(tab,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}})
			return err
		}),
		chromedp.Navigate(Origin+"/"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
			if err != nil {
				return err
			}
			_, err = cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: string(doc)})
			return err
		}),
		chromedp.WaitReady("body"),
	)
	var out []byte
	if err == nil {
		out, err = chromedp.Run(tab, chromedp.PrintToPDF(
			chromedp.PDFPaper(chromedp.PaperA4),
			chromedp.PDFMargins(0.8, 0.8, 0.8, 0.8),
			chromedp.PDFPrintBackground(),
			chromedp.PDFOutlineAndTagged(),
			chromedp.PDFHeaderTemplate(`<span></span>`),
			chromedp.PDFFooterTemplate(`<div style="font-size:8px;width:100%;padding:0 0.8in;display:flex;justify-content:space-between;font-family:sans-serif">`+
				`<span>`+escape(footer)+`</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`),
		))
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// A browser that failed is started afresh next time.
		p.stop()
		p.browser, p.stop = nil, nil
		return nil, err
	}
	return out, nil
}

// answer fulfils one request the document makes: its own static files
// from Static, an empty page for the blank start, and nothing else.
func (p *Printer) answer(tab context.Context, e fetch.EventRequestPaused) {
	call := func(f func(ctx context.Context, t *chromedp.Target) error) {
		if err := chromedp.Do(tab, chromedp.Func(f)); err != nil && p.Log != nil && tab.Err() == nil {
			p.Log.Debug("printer request", "url", e.Request.URL, "err", err)
		}
	}
	fail := func(reason network.ErrorReason) {
		call(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: reason})
			return err
		})
	}
	fulfil := func(ct string, body []byte) {
		call(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: e.RequestID, ResponseCode: 200,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: ct}}, Body: body})
			return err
		})
	}
	u, err := url.Parse(e.Request.URL)
	if err != nil || u.Scheme+"://"+u.Host != Origin {
		fail(network.ErrorReasonBlockedByClient)
		return
	}
	if u.Path == "/" {
		fulfil("text/html; charset=utf-8", []byte("<!doctype html><title></title>"))
		return
	}
	name, ok := strings.CutPrefix(u.Path, "/static/")
	body, err := fs.ReadFile(p.Static, name)
	if !ok || err != nil {
		fail(network.ErrorReasonFailed)
		return
	}
	fulfil(mime.TypeByExtension(path.Ext(name)), body)
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
