package distributed

// WithProtocol returns o speaking protocol p: the tests' worker of another
// version.
func WithProtocol(o WorkerOptions, p int) WorkerOptions {
	o.protocol = p
	return o
}
