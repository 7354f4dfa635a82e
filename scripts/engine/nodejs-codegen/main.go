// pulumi-distr-nodejs-codegen: TypeScript code generation from PCL for the Node.js language host that
// scripts/pulumi-engine.sh builds (sdk v3.68.0, which has no GenerateProgram: `pulumi import` in a TypeScript
// project then fails with "method GenerateProgram not implemented"). The host's GenerateProgram
// (scripts/engine/langhost_generate_program.go) runs this program, built with the engine's own pkg/v3 (the engine's
// version), so the TypeScript is what the current Node.js host would print.
//
// Protocol: a JSON request on stdin {"source": {file: PCL text}, "loaderTarget": "127.0.0.1:port", "strict": bool}
// (the engine's GenerateProgramRequest); a JSON answer on stdout {"source": {file: text}, "diagnostics":
// [{"severity": 1|2, "summary", "detail"}]} (1 error, 2 warning, as hcl.DiagnosticSeverity). Exit 1 with a message
// on stderr when it cannot generate at all.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

type request struct {
	Source       map[string]string `json:"source"`
	LoaderTarget string            `json:"loaderTarget"`
	Strict       bool              `json:"strict"`
}

type diagnostic struct {
	Severity int    `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
}

type answer struct {
	Source      map[string]string `json:"source"`
	Diagnostics []diagnostic      `json:"diagnostics"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-distr-nodejs-codegen: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		return fmt.Errorf("reading the request: %w", err)
	}
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return fmt.Errorf("connecting to the engine's schema loader at %s: %w", req.LoaderTarget, err)
	}
	defer loader.Close()

	parser := syntax.NewParser()
	for name, text := range req.Source {
		if err := parser.ParseFile(strings.NewReader(text), name); err != nil {
			return fmt.Errorf("parsing %s: %w", name, err)
		}
	}
	out := answer{Source: map[string]string{}}
	if parser.Diagnostics.HasErrors() {
		out.Diagnostics = diagnosticsOf(parser.Diagnostics)
		return write(out)
	}

	options := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.Strict {
		options = append(options, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindProgram(parser.Files, schema.NewCachedLoader(loader), options...)
	if err != nil {
		return fmt.Errorf("binding the program: %w", err)
	}
	out.Diagnostics = diagnosticsOf(diags)
	if diags.HasErrors() || program == nil {
		return write(out)
	}
	files, diags, err := nodejs.GenerateProgram(program)
	if err != nil {
		return fmt.Errorf("generating TypeScript: %w", err)
	}
	out.Diagnostics = append(out.Diagnostics, diagnosticsOf(diags)...)
	for name, text := range files {
		out.Source[name] = string(text)
	}
	return write(out)
}

func diagnosticsOf(diags hcl.Diagnostics) []diagnostic {
	result := make([]diagnostic, 0, len(diags))
	for _, d := range diags {
		result = append(result, diagnostic{Severity: int(d.Severity), Summary: d.Summary, Detail: d.Detail})
	}
	return result
}

func write(out answer) error {
	return json.NewEncoder(os.Stdout).Encode(out)
}
