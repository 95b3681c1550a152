package expodesk

import "strings"

// ValidRegistrationID checks a company registration id by the rules of the
// company's country: the 18-character Chinese Unified Social Credit Code
// (GB 32100-2015, with its check character) for CN, the Spanish NIF/CIF for
// ES. Other countries' ids are accepted as 1–32 letters, digits and dashes.
func ValidRegistrationID(country, id string) bool {
	switch country {
	case "CN":
		return ValidUSCC(id)
	case "ES":
		return ValidSpanishTaxID(id)
	}
	if len(id) == 0 || len(id) > 32 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-') {
			return false
		}
	}
	return true
}

// usccAlphabet is the code's 31 characters (no I, O, S, V, Z), by value.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidUSCC reports whether id is a Unified Social Credit Code whose 18th
// character is the check character of the first 17.
func ValidUSCC(id string) bool {
	if len(id) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, id[i])
		if v < 0 {
			return false
		}
		sum += v * usccWeights[i]
	}
	check := (31 - sum%31) % 31
	return id[17] == usccAlphabet[check]
}

// ValidSpanishTaxID reports whether id is a valid Spanish NIF (DNI or NIE) or
// CIF, including its control character.
func ValidSpanishTaxID(id string) bool {
	if len(id) != 9 {
		return false
	}
	// Only ASCII is upper-cased: strings.ToUpper would turn "ſ" (two bytes)
	// into "S" and let a ten-byte id pass as a CIF.
	b := []byte(id)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	id = string(b)
	const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"
	digits := func(s string) (int, bool) {
		n := 0
		for _, r := range s {
			if r < '0' || r > '9' {
				return 0, false
			}
			n = n*10 + int(r-'0')
		}
		return n, true
	}
	switch c := id[0]; {
	case c >= '0' && c <= '9': // DNI
		n, ok := digits(id[:8])
		return ok && id[8] == dniLetters[n%23]
	case c == 'X' || c == 'Y' || c == 'Z': // NIE
		n, ok := digits(id[1:8])
		return ok && id[8] == dniLetters[(int(c-'X')*10000000+n)%23]
	case strings.IndexByte("ABCDEFGHJNPQRSUVW", c) >= 0: // CIF
		if _, ok := digits(id[1:8]); !ok {
			return false
		}
		sum := 0
		for i := 1; i <= 7; i++ {
			d := int(id[i] - '0')
			if i%2 == 1 {
				d *= 2
				d = d/10 + d%10
			}
			sum += d
		}
		control := (10 - sum%10) % 10
		letter := "JABCDEFGHI"[control]
		last := id[8]
		switch {
		case strings.IndexByte("PQRSNW", c) >= 0:
			return last == letter
		case c == 'A' || c == 'B' || c == 'E' || c == 'H':
			return last == byte('0'+control)
		default:
			return last == letter || last == byte('0'+control)
		}
	}
	return false
}
