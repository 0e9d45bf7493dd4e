// Generates fixtures.json: duration strings of the values format `Duration`
// (^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$, at most 64 characters) and the integer seconds Cluster API's
// conversion makes of them, for test/api-shapes.test.ts (DURATION_SECONDS in both backends and Helm 3/4).
//
// Our own program, not upstream code: Cluster API's v1beta1 → v1beta2 conversion of a duration is
// `ConvertToSeconds` (kubernetes-sigs/cluster-api v1.13.5 api/core/v1beta2/conversion.go): `math.Trunc(in.Seconds())`,
// capped at `math.MaxInt32`, of the `metav1.Duration` that `time.ParseDuration` read. convertToSeconds below is
// that, on Go's own ParseDuration and Duration.Seconds.
//
// Run: go run generate.go > fixtures.json (the committed file was written by go1.19.8 linux/amd64).
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"runtime"
	"strings"
	"time"
)

type fixture struct {
	Duration string `json:"duration"`
	// Seconds is nil where time.ParseDuration refuses the string (longer than a time.Duration holds).
	Seconds *int32 `json:"seconds"`
}

func convertToSeconds(s string) *int32 {
	d, err := time.ParseDuration(s)
	if err != nil {
		return nil
	}
	seconds := math.Trunc(d.Seconds())
	var out int32
	if seconds > math.MaxInt32 {
		out = math.MaxInt32
	} else {
		out = int32(seconds)
	}
	return &out
}

var units = []string{"ns", "us", "ms", "s", "m", "h"}

func digits(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(byte('0' + r.Intn(10)))
	}
	return b.String()
}

// randomDuration: 1 to 4 components, integer parts of 0 to 7 digits (sometimes zero-padded), optional fractions
// of 1 to 19 digits, any unit; within the values schema's 64 characters.
func randomDuration(r *rand.Rand) string {
	for {
		var b strings.Builder
		for c := 1 + r.Intn(4); c > 0; c-- {
			integer := digits(r, 1+r.Intn(7))
			if r.Intn(4) == 0 {
				integer = "0"
			}
			b.WriteString(integer)
			if r.Intn(2) == 0 {
				b.WriteString("." + digits(r, 1+r.Intn(19)))
			}
			b.WriteString(units[r.Intn(len(units))])
		}
		if b.Len() <= 64 {
			return b.String()
		}
	}
}

func main() {
	inputs := []string{
		// The design note's examples and the chart defaults.
		"1h30m", "0.3m", "1.5s", "999ms", "2147483648s", "90s", "300000us", "20m", "5m", "10m", "0s", "0.5ns", "1ns",
		// Fractions that float64 does not hold exactly (Go reads them through float64 per component).
		"0.99999999999999999h", "0.1h", "0.7m", "1.0000000000000001h", "0.000000000000000000001h", "00000000000000000000001s",
		"1.9999999999999999999999s", "2.00000000000000000001ms",
		// Around math.MaxInt32 seconds, where Cluster API caps.
		"2147483646s", "2147483646.999999999s", "2147483647s", "2147483647.5s", "596523h14m7s", "596523h14m8s", "35791394m7s",
		// The longest durations Go holds, and just beyond (parse errors).
		"2562047h47m16.854775807s", "2562047h47m16.854775808s", "2562048h", "9999999999999h", "9223372036854775807ns",
		"9223372036854775808ns", "153722867m", "153722868m", "99999999999999999999s",
	}
	// Where the float64 sum float64(sec) + float64(nsec)/1e9 of Duration.Seconds() starts to round up to the
	// next second: from 2^24 seconds up, the largest nanoseconds below and the smallest at the boundary.
	for k := 24; k <= 30; k++ {
		for _, sec := range []int64{1 << k, 1<<(k+1) - 1} {
			threshold := 1e9 - 1e9/math.Pow(2, float64(53-k))
			for _, nsec := range []int64{int64(threshold) - 1, int64(threshold), int64(threshold) + 1, int64(threshold) + 2, 999999999} {
				if nsec < 0 || nsec > 999999999 {
					continue
				}
				inputs = append(inputs, fmt.Sprintf("%d.%09ds", sec, nsec))
			}
		}
	}
	inputs = append(inputs, "16777215.999999999s", "16777216.999999999s", "16777216.999999998s")
	r := rand.New(rand.NewSource(20261122))
	for i := 0; i < 400; i++ {
		inputs = append(inputs, randomDuration(r))
	}

	seen := map[string]bool{}
	fixtures := []fixture{}
	for _, in := range inputs {
		if seen[in] || len(in) > 64 {
			continue
		}
		seen[in] = true
		fixtures = append(fixtures, fixture{Duration: in, Seconds: convertToSeconds(in)})
	}
	out := map[string]interface{}{
		"generatedBy": "test/data/duration-seconds/generate.go, " + runtime.Version(),
		"rule":        "kubernetes-sigs/cluster-api v1.13.5 api/core/v1beta2/conversion.go ConvertToSeconds: math.Trunc(time.ParseDuration(d).Seconds()), capped at math.MaxInt32; seconds null where time.ParseDuration fails",
		"fixtures":    fixtures,
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
