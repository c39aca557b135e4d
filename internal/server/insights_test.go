package server_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
)

func TestInsightsCountWithinScope(t *testing.T) {
	t.Parallel()
	e := practiceEnv(t)
	pa := e.SignIn("pa@gob.pa")
	publish(t, e, pa, practiceForm("Uno", []string{"PA"}, "members"))            // tags 1 and 4
	publish(t, e, pa, practiceForm("Conjunta", []string{"PA", "BR"}, "members")) // counts in CRM and CSM
	publish(t, e, pa, practiceForm("Solo CRM", []string{"PA"}, "crm"))
	read := func(who, name string) map[string][]string {
		t.Helper()
		res := e.SignIn(who).Get("/insights/" + name + ".csv")
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s CSV: %d", name, res.Status)
		}
		recs, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for _, r := range recs[1:] {
			out[r[0]] = r[1:]
		}
		return out
	}
	// A CRM official sees all three; a CSM official two (not "Solo CRM").
	if got := read("mx@gob.mx", "countries")["Panama"]; got[0] != "3" {
		t.Errorf("CRM official, Panama: %v", got)
	}
	if got := read("br@gov.br", "countries")["Panama"]; got[0] != "2" {
		t.Errorf("CSM official, Panama: %v", got)
	}
	if got := read("br@gov.br", "countries")["Brazil"]; got[0] != "1" {
		t.Errorf("CSM official, Brazil: %v", got)
	}
	tags := read("mx@gob.mx", "tags")
	if got := tags["Objective 1: Collaboration between both processes"]; len(got) != 2 || got[0] != "3" || got[1] != "1" {
		t.Errorf("objective 1 by process (CRM, CSM): %v", got)
	}
	months := read("br@gov.br", "months")
	if got := months["November 2026"]; len(got) != 2 || got[0] != "2" || got[1] != "0" {
		t.Errorf("this month: %v", got)
	}
	page := e.SignIn("br@gov.br").Get("/insights")
	if page.Status != 200 || strings.Count(page.Body, "<svg") != 3 || strings.Count(page.Body, "<table") != 3 {
		t.Fatalf("insights page: %d", page.Status)
	}
	if res := e.Client().Get("/insights"); res.Status != http.StatusSeeOther {
		t.Errorf("visitor: %d", res.Status)
	}
	if res := e.SignIn("br@gov.br").Get("/insights/nope.csv"); res.Status != 404 {
		t.Errorf("unknown chart: %d", res.Status)
	}
}
