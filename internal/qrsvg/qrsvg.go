// Package qrsvg draws a QR code as an inline SVG image, so a page can show
// one without scripts, image requests or third parties.
package qrsvg

import (
	"fmt"
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

// Image is a QR code ready for an SVG: Size modules a side (quiet zone
// included) and Path, the dark modules as SVG path data. The page's
// template draws it, so no markup is trusted here.
type Image struct {
	Size int
	Path string
}

// Draw encodes text as an Image.
func Draw(text string) (*Image, error) {
	m, err := Matrix(text)
	if err != nil {
		return nil, err
	}
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
	return &Image{Size: len(m) + 2*quiet, Path: p.String()}, nil
}

// Scaled is the image's width and height on the page, in pixels.
func (i *Image) Scaled() int { return i.Size * 5 }
