package overhead

import (
	_ "embed"
	"fmt"

	"github.com/gatecrash/gatecrash/scenarios"
)

//go:embed base.yaml
var baseYAML []byte

// DefaultBase returns the default schedule: 300 handshakes a second for
// 3 seconds, 100 identities drawn uniformly (so a cache has repeats to hit),
// HS256 tokens.
func DefaultBase() (*scenarios.Scenario, error) {
	sc, err := scenarios.Parse("builtin:overhead", baseYAML)
	if err != nil {
		return nil, fmt.Errorf("overhead: default schedule: %w", err)
	}
	return sc, nil
}
