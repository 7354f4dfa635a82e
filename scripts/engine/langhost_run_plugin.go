// RunPlugin for the Node.js language host that scripts/pulumi-engine.sh builds (sdk v3.68.0, whose RunPlugin only
// answers "not supported"). scripts/pulumi-engine.sh builds a copy of the host's package with this file added and
// the host's RunPlugin stub pointed at runPolicyPackPlugin.
//
// Why: engines since ~v3.1xx start a `runtime: nodejs` policy pack (`--policy-pack DIR`) through the language
// host's RunPlugin instead of the legacy `pulumi-analyzer-policy` plugin. This host does what the current host does
// for a policy pack: it runs the pack with @pulumi/pulumi's cmd/run-policy-pack, through the
// `pulumi-analyzer-policy` script (scripts/pulumi-analyzer-policy, installed next to `pulumi`), in the pack's
// directory, and streams its output and exit code back to the engine.
//
// The newer engine sends the pack's directory in RunPluginRequest.info (field 5, a ProgramInfo whose field 2 is
// program_directory) and the plugin kind in field 6; this host's generated RunPluginRequest predates both, so they
// are read from the message's unknown fields.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"

	"google.golang.org/protobuf/encoding/protowire"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const analyzerScript = "pulumi-analyzer-policy"

func runPolicyPackPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	fields := unknownStringFields(req.ProtoReflect().GetUnknown())
	kind := fields[6]
	if kind != "" && kind != "analyzer" {
		return fmt.Errorf("not supported: this language host runs only policy packs, not %q plugins", kind)
	}
	dir := unknownStringFields([]byte(fields[5]))[2]
	if dir == "" {
		dir = req.GetProgram()
	}
	if dir == "" {
		return errors.New("not supported: RunPlugin without the policy pack's directory")
	}
	script, err := exec.LookPath(analyzerScript)
	if err != nil {
		if self, selfErr := os.Executable(); selfErr == nil {
			script = filepath.Join(filepath.Dir(self), analyzerScript)
		}
		if _, statErr := os.Stat(script); statErr != nil {
			return fmt.Errorf("%s is neither on PATH nor next to the language host; run scripts/pulumi-engine.sh", analyzerScript)
		}
	}

	cmd := exec.Command(script, append(append([]string{}, req.GetArgs()...), ".")...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	if len(req.GetEnv()) > 0 {
		cmd.Env = req.GetEnv()
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}

	var send sync.Mutex
	forward := func(from io.Reader, wrap func([]byte) *pulumirpc.RunPluginResponse, done *sync.WaitGroup) {
		defer done.Done()
		buffer := make([]byte, 32*1024)
		for {
			n, readErr := from.Read(buffer)
			if n > 0 {
				chunk := append([]byte{}, buffer[:n]...)
				send.Lock()
				_ = server.Send(wrap(chunk))
				send.Unlock()
			}
			if readErr != nil {
				return
			}
		}
	}
	var done sync.WaitGroup
	done.Add(2)
	go forward(stdout, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	}, &done)
	go forward(stderr, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	}, &done)
	done.Wait()

	code := int32(0)
	if err := cmd.Wait(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return err
		}
		code = int32(exit.ExitCode())
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// unknownStringFields reads the length-delimited fields of a protobuf message's raw bytes, by field number.
func unknownStringFields(raw []byte) map[protowire.Number]string {
	fields := map[protowire.Number]string{}
	for len(raw) > 0 {
		number, wireType, n := protowire.ConsumeTag(raw)
		if n < 0 {
			return fields
		}
		raw = raw[n:]
		if wireType == protowire.BytesType {
			value, m := protowire.ConsumeBytes(raw)
			if m < 0 {
				return fields
			}
			fields[number] = string(value)
			raw = raw[m:]
			continue
		}
		m := protowire.ConsumeFieldValue(number, wireType, raw)
		if m < 0 {
			return fields
		}
		raw = raw[m:]
	}
	return fields
}
