//go:build ignore

// gen_common writes common.txt: the first N distinct passwords of a
// frequency-ordered list (most common first) that the policy would otherwise
// accept, lower-cased. Passwords the length rules already refuse are left out,
// so that every line of the embedded list does work. See README.md for the
// source and the exact command.
//
//	go run gen_common.go -n 10000 < 10_million_password_list_top_1M.txt > common.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func main() {
	n := flag.Int("n", 10000, "how many passwords to keep")
	minLen := flag.Int("min", 8, "shortest password the policy accepts, in code points")
	maxLen := flag.Int("max", 128, "longest password the policy accepts, in code points")
	flag.Parse()

	seen := make(map[string]bool, *n)
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() && len(seen) < *n {
		line := strings.TrimSpace(in.Text())
		if !utf8.ValidString(line) || strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			continue
		}
		// Same key as the package's commonKey: NFC, then lower case.
		key := strings.ToLower(norm.NFC.String(line))
		if c := utf8.RuneCountInString(key); c < *minLen || c > *maxLen || seen[key] {
			continue
		}
		seen[key] = true
		fmt.Fprintln(out, key)
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
