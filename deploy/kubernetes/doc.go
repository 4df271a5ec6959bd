// Package kubernetes holds no code: it is the directory of gatecrash's
// Kubernetes manifests (a NATS server, the scenario, an Indexed Job of
// workers and a coordinator Job; README.md gives the steps). Its test parses
// every manifest and checks that the pieces agree, so a typo cannot land.
package kubernetes
