// Runs the tiered-plans Go program (package plans) through the Pulumi Automation API as an inline program: the
// engine (the `pulumi` CLI on PATH) and the provider plugin (pulumi-resource-distr on PATH) are needed, a Go language
// host is not. One command per run; it prints one JSON line (the operation's change summary) for scripts and tests.
//
//	go run ./automation up|preview|destroy
//
// Environment: DISTR_HOST, DISTR_TOKEN (kept as a secret in the stack config), PULUMI_BACKEND_URL (for example
// file://$HOME/.pulumi-distr-state), PULUMI_CONFIG_PASSPHRASE; optional STACK (default "dev"), ACME_TIER.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi-distr/pulumi-distr/examples/tiered-plans/go/plans"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
)

const project = "distr-tiered-plans-go"

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func required(name string) (string, error) {
	value := os.Getenv(name)
	if value == "" {
		return "", fmt.Errorf("%s is not set (see the comment at the top of automation/main.go)", name)
	}
	return value, nil
}

func run(ctx context.Context) error {
	if len(os.Args) != 2 {
		return fmt.Errorf("usage: automation up|preview|destroy")
	}
	host, err := required("DISTR_HOST")
	if err != nil {
		return err
	}
	token, err := required("DISTR_TOKEN")
	if err != nil {
		return err
	}
	stackName := os.Getenv("STACK")
	if stackName == "" {
		stackName = "dev"
	}
	stack, err := auto.UpsertStackInlineSource(ctx, stackName, project, plans.Program)
	if err != nil {
		return err
	}
	config := auto.ConfigMap{
		"distr:host":  auto.ConfigValue{Value: host},
		"distr:token": auto.ConfigValue{Value: token, Secret: true},
	}
	if tier := os.Getenv("ACME_TIER"); tier != "" {
		config["acmeTier"] = auto.ConfigValue{Value: tier}
	}
	if err := stack.SetAllConfig(ctx, config); err != nil {
		return err
	}
	var summary any
	switch os.Args[1] {
	case "up":
		result, err := stack.Up(ctx, optup.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		summary = result.Summary.ResourceChanges
	case "preview":
		result, err := stack.Preview(ctx, optpreview.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		summary = result.ChangeSummary
	case "destroy":
		result, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		summary = result.Summary.ResourceChanges
	default:
		return fmt.Errorf("unknown command %q: use up, preview or destroy", os.Args[1])
	}
	return json.NewEncoder(os.Stdout).Encode(summary)
}
