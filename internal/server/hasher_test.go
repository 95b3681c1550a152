package server

import "expodesk/internal/password"

// testHasher hashes the test servers' and the fixture's passwords with
// argon2id's cheapest parameters. With the production ones (19 MiB, two
// passes) every sign-in, password change and accepted invitation cost
// ~50 ms, several times that under -race: two fifths of the package's
// wall time and most of its CPU on a 2-core machine. What the tests check of
// passwords (right or wrong, rehash, dummy verification, limits) does not
// depend on the cost; internal/password tests the production parameters.
func testHasher() *password.Hasher {
	return password.NewHasher(password.Config{Params: password.Params{
		Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}})
}
