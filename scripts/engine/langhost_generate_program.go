// GenerateProgram for the Node.js language host that scripts/pulumi-engine.sh builds (sdk v3.68.0, which answers
// "method GenerateProgram not implemented"): the engine asks the program's language host for code whenever it
// prints a program, e.g. `pulumi import` in a TypeScript project. scripts/pulumi-engine.sh builds a copy of the
// host's package with this file added.
//
// The TypeScript itself comes from pulumi-distr-nodejs-codegen (scripts/engine/nodejs-codegen), built from the
// engine's own pkg/v3 and installed next to the host: the code generator of the engine's version, which this old
// host's module cannot link. This file hands the request over as JSON and the answer back.
//
// The engine's request carries the schema loader's address (field 2) and `strict` (field 3); this host's generated
// GenerateProgramRequest predates both, so they are read from the message's unknown fields.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"google.golang.org/protobuf/encoding/protowire"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	codegenrpc "github.com/pulumi/pulumi/sdk/v3/proto/go/codegen"
)

const codegenProgram = "pulumi-distr-nodejs-codegen"

func (host *nodeLanguageHost) GenerateProgram(
	ctx context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	loaderTarget, strict := generateProgramFields(req.ProtoReflect().GetUnknown())
	if loaderTarget == "" {
		return nil, fmt.Errorf("GenerateProgram: the engine sent no schema loader address")
	}
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("GenerateProgram: cannot find this host's own path: %w", err)
	}
	program := filepath.Join(filepath.Dir(self), codegenProgram)
	input, err := json.Marshal(map[string]any{"source": req.GetSource(), "loaderTarget": loaderTarget, "strict": strict})
	if err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, program)
	cmd.Stdin = bytes.NewReader(input)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("GenerateProgram: %s failed (%v): %s", program, err, stderr.String())
	}
	var answer struct {
		Source      map[string]string `json:"source"`
		Diagnostics []struct {
			Severity int    `json:"severity"`
			Summary  string `json:"summary"`
			Detail   string `json:"detail"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &answer); err != nil {
		return nil, fmt.Errorf("GenerateProgram: unreadable answer from %s: %w", program, err)
	}
	response := &pulumirpc.GenerateProgramResponse{Source: map[string][]byte{}}
	for name, text := range answer.Source {
		response.Source[name] = []byte(text)
	}
	for _, d := range answer.Diagnostics {
		response.Diagnostics = append(response.Diagnostics, &codegenrpc.Diagnostic{
			Severity: codegenrpc.DiagnosticSeverity(d.Severity),
			Summary:  d.Summary,
			Detail:   d.Detail,
		})
	}
	return response, nil
}

// generateProgramFields reads loader_target (2, string) and strict (3, bool) from a GenerateProgramRequest's
// unknown fields.
func generateProgramFields(b []byte) (loaderTarget string, strict bool) {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return
		}
		b = b[n:]
		switch {
		case num == 2 && typ == protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return
			}
			loaderTarget = string(v)
			n = m
		case num == 3 && typ == protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return
			}
			strict = v != 0
			n = m
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return
			}
		}
		b = b[n:]
	}
	return
}
