package report

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromium returns the path of Debian's chromium. It skips the test when
// there is none, unless CI is set: there, scripts/test-setup installs it
// and its absence is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found; scripts/test-setup installs it")
	}
	t.Skip("chromium not found (scripts/test-setup installs it)")
	return ""
}

// screenshot renders the HTML file at path in headless Chromium, in a
// window w×h, and returns the image.
func screenshot(t *testing.T, browser, path string, w, h int) image.Image {
	t.Helper()
	dir := t.TempDir()
	shot := filepath.Join(dir, "shot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--hide-scrollbars", "--force-device-scale-factor=1", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--window-size="+itoa(w)+","+itoa(h), "--screenshot="+shot, "file://"+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, out)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestHTMLScreenshot renders a report with every chart in headless
// Chromium and checks, in each chart's plot area, that something coloured
// was drawn. Below the report, the page repeats every chart broken (each
// coordinate NaN, as a bad computation would leave it): those must be
// found blank, so the check is shown to catch a chart that did not draw.
func TestHTMLScreenshot(t *testing.T) {
	browser := chromium(t)
	in := Input{Result: fixedResult(t, false), Overhead: fixedOverhead(), Capacity: fixedCapacity()}
	var b bytes.Buffer
	if err := in.HTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	svgs := regexp.MustCompile(`(?s)<svg .*?</svg>`).FindAllString(page, -1)
	coords := regexp.MustCompile(`\b(points|x|y|x1|y1|x2|y2|width|height)="[^"]*"`)
	var broken strings.Builder
	for _, svg := range svgs {
		broken.WriteString(coords.ReplaceAllString(svg, `$1="NaN"`))
	}
	page = strings.Replace(page, "</body>", "<h2>broken</h2>"+broken.String()+"</body>", 1)
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}

	img := screenshot(t, browser, path, 1000, 9000)
	boxes := chartBoxes(img)
	if len(boxes) != 2*len(svgs) {
		t.Fatalf("found %d chart frames in the screenshot, want %d: %v", len(boxes), 2*len(svgs), boxes)
	}
	for i, box := range boxes {
		// The plot area ends where the legend's margin begins (padR of
		// chartW); count strongly coloured pixels left of it.
		plot := box
		plot.Max.X = box.Min.X + box.Dx()*(chartW-padR)/chartW
		n := colouredPixels(img, plot.Inset(2))
		switch wantDrawn := i < len(svgs); {
		case wantDrawn && n < 200:
			t.Errorf("chart %d at %v: %d coloured pixels in the plot area, want a drawn chart", i+1, box, n)
		case !wantDrawn && n > 0:
			t.Errorf("broken chart %d at %v: %d coloured pixels, want none", i+1-len(svgs), box, n)
		}
	}
}

// chartBoxes finds the charts' frames (svg.chart's 1px #ddd border) as
// pairs of long horizontal runs of that grey: top edge, bottom edge.
func chartBoxes(img image.Image) []image.Rectangle {
	var edges []image.Rectangle
	bnd := img.Bounds()
	for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
		run, from := 0, 0
		for x := bnd.Min.X; x <= bnd.Max.X; x++ {
			if x < bnd.Max.X && isFrameGrey(img, x, y) {
				if run == 0 {
					from = x
				}
				run++
				continue
			}
			if run >= 700 && (len(edges) == 0 || y-edges[len(edges)-1].Min.Y > 2) {
				edges = append(edges, image.Rect(from, y, from+run, y+1))
			}
			run = 0
		}
	}
	var boxes []image.Rectangle
	for i := 0; i+1 < len(edges); i += 2 {
		boxes = append(boxes, image.Rect(edges[i].Min.X, edges[i].Min.Y, edges[i].Max.X, edges[i+1].Max.Y))
	}
	return boxes
}

// isFrameGrey reports whether the pixel is the frame's #ddd, give or take
// antialiasing; the grid's lighter #e4e4e4 and the tables' #ccc are not.
func isFrameGrey(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	r, g, b = r>>8, g>>8, b>>8
	return r >= 216 && r <= 224 && g >= 216 && g <= 224 && b >= 216 && b <= 224
}

// colouredPixels counts the pixels of r whose channels differ by more than
// 80: series lines and bars, not text, grid or background.
func colouredPixels(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			hi := max(cr, cg, cb) >> 8
			lo := min(cr, cg, cb) >> 8
			if hi-lo > 80 {
				n++
			}
		}
	}
	return n
}
