// Loads each Prometheus configuration file given with Prometheus's own loader (config.LoadFile,
// unknown fields refused), as the server does at start; prints "ok FILE" or "FAIL FILE: why".
package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/prometheus/prometheus/config"
	// kubernetes_sd_configs, as the server's discovery/install registers it.
	_ "github.com/prometheus/prometheus/discovery/kubernetes"
)

func main() {
	failed := false
	for _, file := range os.Args[1:] {
		if _, err := config.LoadFile(file, false, slog.New(slog.DiscardHandler)); err != nil {
			fmt.Printf("FAIL %s: %v\n", file, err)
			failed = true
		} else {
			fmt.Printf("ok %s\n", file)
		}
	}
	if failed {
		os.Exit(1)
	}
}
