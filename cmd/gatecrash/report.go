package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	htmlmd "github.com/gatecrash/gatecrash/report"
)

func newReportCmd() *cobra.Command {
	var out, format, hdrLog string
	cmd := &cobra.Command{
		Use:   "report FILE...",
		Short: "Render results, overhead and capacity files as a self-contained HTML page or as Markdown",
		Long: `report renders a results file (gatecrash run), an overhead table (gatecrash
overhead --json) and a capacity search (gatecrash capacity --json), any of them,
at most one of each, told apart by their format field, as one HTML file (inline
SVG charts: latency per percentile and phase, rate and p99 over the run,
overhead bars, capacity probes; the rejection matrix; nothing fetched from the
network) or as Markdown for a pull-request comment. The format follows -o's
extension (.html, .md) unless --format says; without -o, Markdown goes to
stdout.

--hdr-log also writes the run's total latency of each interval as an
HdrHistogram interval log (V2, compressed histograms; values in microseconds)
for HdrHistogram's own tools.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(args, out, format, hdrLog, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "write here instead of stdout")
	cmd.Flags().StringVar(&format, "format", "", "html or markdown (default: from -o's extension)")
	cmd.Flags().StringVar(&hdrLog, "hdr-log", "", "also write the run's HdrHistogram interval log here")
	return cmd
}

func runReport(files []string, out, format, hdrLog string, stdout io.Writer) error {
	in, err := htmlmd.ReadInput(files...)
	if err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	if hdrLog != "" {
		if in.Result == nil {
			return &exitError{code: ExitError, msg: "--hdr-log needs a results file"}
		}
		if err := writeFile(hdrLog, func(w io.Writer) error { return htmlmd.HdrLog(w, in.Result) }); err != nil {
			return &exitError{code: ExitError, msg: err.Error()}
		}
	}
	if format == "" {
		format = "markdown"
		if strings.HasSuffix(out, ".html") || strings.HasSuffix(out, ".htm") {
			format = "html"
		}
	}
	write := in.Markdown
	switch format {
	case "html":
		write = in.HTML
	case "markdown", "md":
	default:
		return &exitError{code: ExitError, msg: fmt.Sprintf("--format %q: want html or markdown", format)}
	}
	if out == "" {
		return write(stdout)
	}
	if err := writeFile(out, write); err != nil {
		return &exitError{code: ExitError, msg: err.Error()}
	}
	return nil
}

// writeFile creates path and writes it with write.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
