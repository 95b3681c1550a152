package mail

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()

	t.Run("NoHostNoConfig", func(t *testing.T) {
		c, err := ConfigFromEnv(env(map[string]string{"SMTP_FROM": "noreply@expo.example"}))
		if c != nil || err != nil {
			t.Errorf("ConfigFromEnv = %v, %v; want nil, nil", c, err)
		}
	})

	t.Run("Defaults", func(t *testing.T) {
		c, err := ConfigFromEnv(env(map[string]string{"SMTP_HOST": "smtp.expo.example", "SMTP_FROM": "expodesk <noreply@expo.example>"}))
		if err != nil {
			t.Fatal(err)
		}
		want := SMTPConfig{Host: "smtp.expo.example", Port: 587, From: "expodesk <noreply@expo.example>", TLS: TLSStartTLS}
		if *c != want {
			t.Errorf("config = %+v, want %+v", *c, want)
		}
	})

	t.Run("ImplicitTLSPort", func(t *testing.T) {
		c, err := ConfigFromEnv(env(map[string]string{"SMTP_HOST": "smtp.expo.example", "SMTP_FROM": "noreply@expo.example",
			"SMTP_TLS": "TLS", "SMTP_USERNAME": "expodesk", "SMTP_PASSWORD": "s3cret"}))
		if err != nil {
			t.Fatal(err)
		}
		if c.Port != 465 || c.TLS != TLSImplicit || c.Username != "expodesk" || c.Password != "s3cret" {
			t.Errorf("config = %+v", *c)
		}
	})

	for name, tc := range map[string]struct {
		vars map[string]string
		want string
	}{
		"ErrFromMissing":         {map[string]string{"SMTP_HOST": "h"}, "SMTP_FROM"},
		"ErrFromInvalid":         {map[string]string{"SMTP_HOST": "h", "SMTP_FROM": "not an address"}, "SMTP_FROM"},
		"ErrPortNotANumber":      {map[string]string{"SMTP_HOST": "h", "SMTP_FROM": "a@b.example", "SMTP_PORT": "smtp"}, "SMTP_PORT"},
		"ErrPortOutOfRange":      {map[string]string{"SMTP_HOST": "h", "SMTP_FROM": "a@b.example", "SMTP_PORT": "70000"}, "SMTP_PORT"},
		"ErrTLSMode":             {map[string]string{"SMTP_HOST": "h", "SMTP_FROM": "a@b.example", "SMTP_TLS": "ssl"}, "SMTP_TLS"},
		"ErrPasswordMissing":     {map[string]string{"SMTP_HOST": "h", "SMTP_FROM": "a@b.example", "SMTP_USERNAME": "u"}, "SMTP_PASSWORD"},
		"ErrUsernameMissing":     {map[string]string{"SMTP_HOST": "h", "SMTP_FROM": "a@b.example", "SMTP_PASSWORD": "p"}, "SMTP_USERNAME"},
		"ErrNeverEchoesPassword": {map[string]string{"SMTP_HOST": "h", "SMTP_PASSWORD": "hunter2"}, "SMTP_FROM"},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := ConfigFromEnv(env(tc.vars))
			if err == nil || c != nil {
				t.Fatalf("ConfigFromEnv = %v, %v; want an error", c, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %s", err, tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}

	t.Run("LogsWithoutPassword", func(t *testing.T) {
		c := &SMTPConfig{Host: "smtp.expo.example", Port: 587, Username: "expodesk", Password: "hunter2",
			From: "noreply@expo.example", TLS: TLSStartTLS}
		var buf bytes.Buffer
		slog.New(slog.NewTextHandler(&buf, nil)).Info("smtp", "config", c)
		if strings.Contains(buf.String(), "hunter2") || !strings.Contains(buf.String(), "smtp.expo.example") {
			t.Errorf("log line = %q", buf.String())
		}
		if s := c.String(); strings.Contains(s, "hunter2") {
			t.Errorf("String() = %q", s)
		}
	})
}
