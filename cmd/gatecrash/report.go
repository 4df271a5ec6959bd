package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	htmlmd "github.com/gatecrash/gatecrash/report"
	"github.com/gatecrash/gatecrash/results"
)

func newReportCmd() *cobra.Command {
	var out, format, hdrLog string
	cmd := &cobra.Command{
		Use:   "report RESULTS.json",
		Short: "Render a results file as a self-contained HTML page or as Markdown",
		Long: `report renders RESULTS.json as one HTML file (inline SVG charts: latency per
percentile and phase, rate and p99 over the run; the rejection matrix; nothing
fetched from the network) or as Markdown for a pull-request comment. The format
follows -o's extension (.html, .md) unless --format says; without -o, Markdown
goes to stdout.

--hdr-log also writes the total latency of each interval as an HdrHistogram
interval log (V2, compressed histograms; values in microseconds) for
HdrHistogram's own tools.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(args[0], out, format, hdrLog, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "write here instead of stdout")
	cmd.Flags().StringVar(&format, "format", "", "html or markdown (default: from -o's extension)")
	cmd.Flags().StringVar(&hdrLog, "hdr-log", "", "also write an HdrHistogram interval log here")
	return cmd
}

func runReport(in, out, format, hdrLog string, stdout io.Writer) error {
	r, err := results.ReadFile(in)
	if err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	if hdrLog != "" {
		if err := writeHdrLog(hdrLog, r); err != nil {
			return &exitError{code: ExitError, msg: err.Error()}
		}
	}
	if format == "" {
		format = "markdown"
		if strings.HasSuffix(out, ".html") || strings.HasSuffix(out, ".htm") {
			format = "html"
		}
	}
	write := htmlmd.Markdown
	switch format {
	case "html":
		write = htmlmd.HTML
	case "markdown", "md":
	default:
		return &exitError{code: ExitError, msg: fmt.Sprintf("--format %q: want html or markdown", format)}
	}
	if out == "" {
		return write(stdout, r)
	}
	f, err := os.Create(out)
	if err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	if err := write(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeHdrLog writes r's interval log to path.
func writeHdrLog(path string, r *results.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := htmlmd.HdrLog(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
