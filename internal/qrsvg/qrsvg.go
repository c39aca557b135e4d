// Package qrsvg draws a QR code as an inline SVG image, so a page can show
// one without scripts, image requests or third parties.
package qrsvg

import (
	"fmt"
	"html/template"
	"image/color"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// quiet is the blank margin, in modules, that scanners need around a code.
const quiet = 4

// Matrix encodes text at error-correction level M and returns its modules,
// true for dark, indexed [y][x].
func Matrix(text string) ([][]bool, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, err
	}
	b := code.Bounds()
	m := make([][]bool, b.Dy())
	for y := range m {
		m[y] = make([]bool, b.Dx())
		for x := range m[y] {
			m[y][x] = color.GrayModel.Convert(code.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y < 128
		}
	}
	return m, nil
}

// SVG returns text as a QR code: one path of dark squares on a white
// background, scaled by the page. label is its accessible name.
func SVG(text, label string) (template.HTML, error) {
	m, err := Matrix(text)
	if err != nil {
		return "", err
	}
	size := len(m) + 2*quiet
	var p strings.Builder
	for y, row := range m {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			// One rectangle per run of dark modules keeps the path short.
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&p, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run - 1
		}
	}
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		size, size, size*5, size*5, template.HTMLEscapeString(label), size, size, p.String())
	return template.HTML(svg), nil
}
