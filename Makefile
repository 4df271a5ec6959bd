# gatecrash — build, test, benchmark.
# `make test` is the command CI runs (.ci/run): it installs what the tests
# need (the Node peers' npm packages, redis-server), then runs gofmt, vet,
# staticcheck, the race-enabled tests and one iteration of every benchmark.

GO ?= go
BENCHTIME ?= 1s
BENCHCOUNT ?= 6

.PHONY: build test test-setup lint bench bench-smoke demo clean

build:
	$(GO) build -o bin/gatecrash ./cmd/gatecrash

test-setup:
	./scripts/test-setup

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

test: test-setup lint
	$(GO) test -race -timeout 20m ./...
	$(MAKE) bench-smoke

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(BENCHCOUNT) ./... | tee bench.txt

# One iteration of every benchmark: proves each still runs (several are whole
# runs of seconds per iteration, so a larger count would take minutes).
bench-smoke:
	$(GO) test -run '^$$' -bench . -benchtime 1x -count 1 ./...

demo: build
	./bin/gatecrash run scenarios/quickstart.yaml --out results.json

clean:
	rm -rf bin results.json bench.txt
