package search

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]string{
		"":                                ``,
		"   ":                             ``,
		"biometr":                         `"biometr"*`,
		"registro biométrico ":            `"registro" "biométrico"`,
		"registro biometr":                `"registro" "biometr"*`,
		`"registro biométrico" Darién`:    `"registro biométrico" "darién"*`,
		`"unbalanced quote`:               `"unbalanced quote"`,
		`biometr* frontera `:              `"biometr"* "frontera"`,
		`AND OR NOT NEAR( ) ^ : - + {xy}`: `"xy"`,
		`AND OR`:                          ``,
		`-`:                               ``,
		`()`:                              ``,
		`"`:                               ``,
		`asilo AND refugio OR`:            `"asilo" "refugio"`,
		`rock and roll`:                   `"rock" "and" "roll"*`,
		`"NOT AND"`:                       `"not and"`,
		`title:x`:                         `"title" "x"`,
		`a`:                               `"a"`,
		`*** "" ""`:                       ``,
		"\xff\xfe migración":              `"migración"*`,
	} {
		if got := Parse(in); got != want {
			t.Errorf("Parse(%q) = %s, want %s", in, got, want)
		}
	}
	long := Parse(strings.Repeat("palabra ", 2000))
	if strings.Count(long, `"palabra"`) != MaxTerms {
		t.Errorf("long query kept %d terms", strings.Count(long, `"palabra"`))
	}
}
