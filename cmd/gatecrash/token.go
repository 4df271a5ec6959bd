package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatecrash/gatecrash/internal/keyfile"
	"github.com/gatecrash/gatecrash/verifiers"
)

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Mint credentials for manual testing (JWT, API key, signing key)",
		Long: `token mints credentials to try a server by hand, with curl, a browser client or
socket.io-client. Sessions live in a server's memory: "gatecrash serve" prints a
demo session when it starts.`,
	}
	cmd.AddCommand(newTokenJWTCmd(), newTokenAPIKeyCmd(), newTokenKeygenCmd())
	return cmd
}

type jwtFlags struct {
	sub, iss, aud, alg, secretFile, keyFile string
	roles                                   []string
	ttl                                     time.Duration
}

func newTokenJWTCmd() *cobra.Command {
	var f jwtFlags
	cmd := &cobra.Command{
		Use:   "jwt",
		Short: "Sign a JWT for a subject, roles, issuer, audience and lifetime",
		Example: `  gatecrash token jwt --sub alice --roles admin --secret-file secret.txt
  gatecrash token jwt --sub bob --alg RS256 --key-file key.pem --ttl 5m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, err := signingKey(f)
			if err != nil {
				return err
			}
			claims := verifiers.NewClaims(f.sub, f.iss, []string{f.aud}, f.roles, time.Now(), f.ttl)
			tok, err := key.Sign(claims)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), tok)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.sub, "sub", "user-000001", "subject (sub)")
	fl.StringSliceVar(&f.roles, "roles", nil, "roles, comma-separated (roles claim)")
	fl.StringVar(&f.iss, "iss", "gatecrash", "issuer (iss)")
	fl.StringVar(&f.aud, "aud", "gatecrash", "audience (aud)")
	fl.DurationVar(&f.ttl, "ttl", 15*time.Minute, "lifetime: exp - iat")
	fl.StringVar(&f.alg, "alg", "HS256", "algorithm: HS256/384/512, RS256, PS256, ES256, EdDSA")
	fl.StringVar(&f.secretFile, "secret-file", "", "HMAC secret file (HS*)")
	fl.StringVar(&f.keyFile, "key-file", "", "private key file, PEM or JWK (RS, PS, ES, EdDSA)")
	return cmd
}

// signingKey loads the key the jwt command signs with.
func signingKey(f jwtFlags) (*verifiers.SigningKey, error) {
	switch {
	case f.secretFile != "" && f.keyFile != "":
		return nil, fmt.Errorf("--secret-file and --key-file: give one, not both")
	case f.secretFile != "":
		return verifiers.LoadSigningKeyFile(f.secretFile, f.alg)
	case f.keyFile != "":
		return verifiers.LoadSigningKeyFile(f.keyFile, f.alg)
	}
	return nil, fmt.Errorf("--secret-file or --key-file is required (gatecrash token keygen makes one)")
}

type apikeyFlags struct {
	sub, env, keysFile string
	roles, namespaces  []string
	ttl                time.Duration
}

func newTokenAPIKeyCmd() *cobra.Command {
	var f apikeyFlags
	cmd := &cobra.Command{
		Use:   "apikey",
		Short: "Create an API key; its digest is appended to a keys file for gatecrash serve",
		Long: `apikey prints a new API key once and appends its record (a SHA-256 digest,
never the key) to --keys-file, which "gatecrash serve --api-keys FILE" loads.`,
		Example: `  gatecrash token apikey --sub billing-svc --roles api --keys-file keys.jsonl`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec := verifiers.APIKeySpec{Env: f.env, Subject: f.sub, Roles: f.roles,
				Namespaces: f.namespaces}
			if f.ttl > 0 {
				spec.Expires = time.Now().Add(f.ttl)
			}
			key, rec, err := verifiers.NewAPIKey(context.Background(), verifiers.NewMemoryKeyStore(), spec)
			if err != nil {
				return err
			}
			if err := keyfile.Append(f.keysFile, rec); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), key)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.sub, "sub", "service-1", "the key's subject")
	fl.StringSliceVar(&f.roles, "roles", nil, "roles, comma-separated")
	fl.StringSliceVar(&f.namespaces, "namespaces", nil, "namespaces the key is limited to (default: any)")
	fl.StringVar(&f.env, "env", "live", "key environment, part of the key's prefix")
	fl.DurationVar(&f.ttl, "ttl", 0, "expiry from now (default: none)")
	fl.StringVar(&f.keysFile, "keys-file", "", "append the key's record to this file (required)")
	_ = cmd.MarkFlagRequired("keys-file")
	return cmd
}

func newTokenKeygenCmd() *cobra.Command {
	var alg, out string
	var force bool
	cmd := &cobra.Command{
		Use:   "keygen",
		Short: "Generate a signing key (HMAC secret or private key) for token jwt and serve",
		Example: `  gatecrash token keygen --alg HS256 --out secret.txt
  gatecrash token keygen --alg RS256 --out key.pem`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, data, err := generateKeyFile(alg)
			if err != nil {
				return err
			}
			flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			if err := writeKeyFile(out, data, flags); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s key written to %s (kid %s)\n", k.Alg(), out, k.KID())
			return nil
		},
	}
	cmd.Flags().StringVar(&alg, "alg", "HS256", "algorithm of the key")
	cmd.Flags().StringVar(&out, "out", "", "file to write (required; mode 0600)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite --out if it exists")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

// generateKeyFile makes a key for alg and its file form: PEM for a private
// key; for HMAC, a random secret written as base64url text, the text itself
// being the secret (what --secret-file and serve read back).
func generateKeyFile(alg string) (*verifiers.SigningKey, []byte, error) {
	if strings.HasPrefix(strings.ToUpper(alg), "HS") {
		raw := make([]byte, 48)
		if _, err := rand.Read(raw); err != nil {
			return nil, nil, err
		}
		text := base64.RawURLEncoding.EncodeToString(raw)
		k, err := verifiers.NewHMACKey(strings.ToUpper(alg), "", []byte(text))
		return k, []byte(text + "\n"), err
	}
	k, err := verifiers.GenerateSigningKey(alg)
	if err != nil {
		return nil, nil, err
	}
	data, err := k.MarshalPEM()
	return k, data, err
}

// writeKeyFile writes a key with mode 0600; without O_TRUNC in flags an
// existing file is an error, so a key in use is never replaced by accident.
func writeKeyFile(path string, data []byte, flags int) error {
	f, err := os.OpenFile(path, flags, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("--out %s exists: keep it, or overwrite it with --force", path)
	}
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}
