package main

import "context"

// quietRedisLogger replaces go-redis's global logger, which writes every
// refused dial to stderr while Redis is down. The outage is reported
// instead, once when it starts and once when it ends, by the audit log and
// the metrics (gatecrash_redis_feed_up).
type quietRedisLogger struct{}

func (quietRedisLogger) Printf(context.Context, string, ...any) {}
