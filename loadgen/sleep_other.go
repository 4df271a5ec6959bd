//go:build !unix

package loadgen

import "time"

// preciseSleep falls back to time.Sleep, whose wake-ups may be about a
// millisecond late.
func preciseSleep(d time.Duration) { time.Sleep(d) }
