//go:build unix

package loadgen

import (
	"syscall"
	"time"
)

// preciseSleep sleeps d on the calling thread with nanosleep, which wakes
// within tens of microseconds, unlike the runtime's millisecond-grained
// poller. It blocks an OS thread, so it is only for short waits.
func preciseSleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}
