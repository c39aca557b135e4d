package qrsvg

import (
	"fmt"
	"strings"
	"testing"
)

// finder reports whether the 7×7 finder pattern (a dark ring, a light
// ring, a dark 3×3 centre) sits at x, y.
func finder(m [][]bool, x, y int) bool {
	for dy := 0; dy < 7; dy++ {
		for dx := 0; dx < 7; dx++ {
			ring := max(abs(dx-3), abs(dy-3))
			want := ring != 2
			if m[y+dy][x+dx] != want {
				return false
			}
		}
	}
	return true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestMatrixIsAQRCode(t *testing.T) {
	url := "otpauth://totp/Puente:ana@example.org?algorithm=SHA1&digits=6&issuer=Puente&period=30&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	m, err := Matrix(url)
	if err != nil {
		t.Fatal(err)
	}
	n := len(m)
	// Version v has 17+4v modules a side; this text needs at least v5.
	if (n-17)%4 != 0 || n < 37 {
		t.Fatalf("side %d is not a QR version size", n)
	}
	for _, c := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
		if !finder(m, c[0], c[1]) {
			t.Errorf("no finder pattern at %v", c)
		}
	}
	// Timing pattern: row 6 alternates between the finders.
	for x := 8; x < n-8; x++ {
		if m[6][x] != (x%2 == 0) {
			t.Fatalf("timing pattern broken at x=%d", x)
		}
	}
}

func TestDrawCoversEveryDarkModule(t *testing.T) {
	text := "otpauth://totp/Puente:x?secret=ABC"
	m, _ := Matrix(text)
	img, err := Draw(text)
	if err != nil {
		t.Fatal(err)
	}
	if size := len(m) + 2*quiet; img.Size != size {
		t.Errorf("size %d, want %d", img.Size, size)
	}
	s := ` d="` + img.Path
	// Sum of run lengths equals the number of dark modules.
	dark := 0
	for _, row := range m {
		for _, d := range row {
			if d {
				dark++
			}
		}
	}
	drawn := 0
	for _, seg := range strings.Split(s[strings.Index(s, ` d="`)+4:], "z")[0:] {
		var x, y, w, w2 int
		if _, err := fmt.Sscanf(seg, "M%d %dh%dv1h-%d", &x, &y, &w, &w2); err == nil {
			drawn += w
		}
	}
	if drawn != dark {
		t.Errorf("drawn %d modules, matrix has %d dark", drawn, dark)
	}
}
