package main

import (
	"slices"
	"testing"
)

func TestKindOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		term string
		kind termKind
		ok   bool
	}{
		{"lo", termLatin, true},
		{"lorawan gat", termLatin, true},
		{"nb-iot", termLatin, true},
		{"energía", termAccented, true},
		{"münchen", termAccented, true},
		{"señal", termEnye, true},
		{"señalnet redes", termEnye, true},
		{"网关", termHan2, true},
		{"传感器", termHan3, true},
		{"物联网云", 0, false}, // four characters: typed as two terms
		{"5g专网", 0, false}, // mixed scripts
		{"l", 0, false},
		{"网", 0, false},
	} {
		k, ok := kindOf(c.term)
		if ok != c.ok || ok && k != c.kind {
			t.Errorf("kindOf(%q) = %v, %v; want %v, %v", c.term, k, ok, c.kind, c.ok)
		}
	}
}

func TestTypingTerms(t *testing.T) {
	t.Parallel()
	terms := typingTerms([]string{"Señal Redes", "LoRaWAN网关", "太湖传感", "Señal Redes", "Energía"}, 1)
	var got []string
	for _, term := range terms {
		got = append(got, term.Text)
		if k, _ := kindOf(term.Text); k != term.Kind {
			t.Errorf("%q has kind %v, want %v", term.Text, term.Kind, k)
		}
	}
	want := []string{
		"se", "señ", "seña", "señal", "señal r", "señal re", "señal red", "señal rede", "señal redes", // typed
		"lo", "lor", "lora", "loraw", "lorawa", "lorawan", // the Latin part of a mixed name
		"网关",                           // its Chinese part
		"太湖", "湖传", "传感", "太湖传", "湖传感", // two and three characters
		"en", "ene", "ener", "energ", "energí", "energía",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("terms\n got %q\nwant %q", got, want)
	}
	if again := typingTerms([]string{"Señal Redes", "LoRaWAN网关", "太湖传感", "Señal Redes", "Energía"}, 1); !slices.Equal(again, terms) {
		t.Error("the same phrases and seed gave another order")
	}
	mix := termMix(terms)
	if mix != [termKinds]int{termLatin: 11, termAccented: 2, termEnye: 8, termHan2: 4, termHan3: 2} {
		t.Errorf("mix %v", mix)
	}
}

func TestTypingTermsSpreadKinds(t *testing.T) {
	t.Parallel()
	phrases := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "恒芯华远智联瑞达通博创天安星微感云"}
	terms := typingTerms(phrases, 7)
	// The first and the second half have about the same number of
	// Chinese terms.
	half := len(terms) / 2
	count := func(ts []typedTerm) int {
		n := 0
		for _, t := range ts {
			if t.Kind == termHan2 || t.Kind == termHan3 {
				n++
			}
		}
		return n
	}
	a, b := count(terms[:half]), count(terms[half:])
	if a-b > 2 || b-a > 2 {
		t.Errorf("Chinese terms: %d in the first half, %d in the second", a, b)
	}
}
