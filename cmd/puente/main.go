// Command puente runs the Puente good-practice exchange: its web server
// and the commands that look after its database and accounts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"puente/internal/cli"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "puente:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return cli.Run(ctx, args, getenv, stdout, stderr)
}
