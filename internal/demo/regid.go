package demo

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// Registration ids are computed, not made up by hand, so that every one
// passes the domain's check-character validation and none is copied from a
// real company. Each derives from a seed (the legal name), so the same data
// comes out every time.

// usccChars is the Unified Social Credit Code alphabet (GB 32100-2015): the
// digits and 21 letters (no I, O, S, V, Z), each worth its index.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// uscc returns a Unified Social Credit Code for a company (registration
// authority 9, industry and commerce; type 1, enterprise) in the
// administrative division div, with a nine-character organisation code
// derived from seed. Both check characters are computed: the organisation
// code's (GB 11714) and the code's own (GB 32100).
func uscc(div, seed string) string {
	body := fmt.Sprintf("%08d", hash(seed)%100000000)
	code := "91" + div + body + orgCodeCheck(body)
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(usccChars, code[i]) * weights[i]
	}
	return code + string(usccChars[(31-sum%31)%31])
}

// orgCodeCheck returns the check character of an eight-digit organisation
// code body (GB 11714-1997).
func orgCodeCheck(body string) string {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(body[i]-'0') * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return "X"
	case 11:
		return "0"
	default:
		return string(rune('0' + c))
	}
}

// cif returns a Spanish CIF: prefix is the entity letter and the two-digit
// province code ("B08": a limited company registered in Barcelona), followed
// by five digits derived from seed and the control character. Companies of
// kinds A, B, E and H carry a digit as control; the others here a letter.
func cif(prefix, seed string) string {
	digits := prefix[1:] + fmt.Sprintf("%05d", hash(seed)%100000)
	sum := 0
	for i, r := range digits {
		d := int(r - '0')
		if i%2 == 0 { // odd positions, counting from one, are doubled
			d *= 2
			d = d/10 + d%10
		}
		sum += d
	}
	control := (10 - sum%10) % 10
	if strings.ContainsRune("ABEH", rune(prefix[0])) {
		return prefix[:1] + digits + string(rune('0'+control))
	}
	return prefix[:1] + digits + string("JABCDEFGHI"[control])
}

// registrationID returns the id a company's reg field asks for.
func registrationID(c company) string {
	switch {
	case c.reg == "":
		return ""
	case c.country == "CN":
		return uscc(c.reg, c.legal)
	case c.country == "ES":
		return cif(c.reg, c.legal)
	}
	return ""
}

func hash(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}
