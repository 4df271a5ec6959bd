// Package report renders a gatecrash result for people: Markdown for pull
// request comments, and one self-contained HTML file whose charts are inline
// SVG (no script, no stylesheet or font fetched from anywhere): the latency
// percentile spectrum of each phase on a log scale, as HdrHistogram plots
// it, latency and rate over the run, and the rejection-correctness matrix.
//
// Both writers are deterministic for a given Result and write to the
// caller's io.Writer; the package never prints.
package report
