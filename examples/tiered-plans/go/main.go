// The tiered-plans example as a Pulumi Go program (`pulumi up` with the Go language host). Without a Go language
// host, `go run ./automation up` runs the same program through the Automation API (see README.md).
package main

import (
	"github.com/pulumi-distr/pulumi-distr/examples/tiered-plans/go/plans"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(plans.Program)
}
