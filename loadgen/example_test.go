package loadgen

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ExampleDial opens one session, connects two namespaces with raw auth
// payloads and checks the identity the server binds.
func ExampleDial() {
	srv := startFake(fakeGood) // any Engine.IO v4 / Socket.IO v5 server
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := Dial(ctx, srv.URL, &Handshake{Transport: WebSocket}, nil)
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	defer c.Close()

	if _, err := c.Connect(ctx, "/", []byte(`{"token":"good:alice"}`)); err == nil {
		ack, _ := c.EmitWithAck(ctx, "/", []byte(`["whoami"]`))
		fmt.Println("/ accepted:", string(ack))
	}
	_, err = c.Connect(ctx, "/admin", []byte(`{"token":"forged"}`))
	var ce *ConnectError
	if errors.As(err, &ce) {
		out, code := Classify(err)
		fmt.Println("/admin", out, code)
	}
	// Output:
	// / accepted: [{"sub":"alice","method":"fake","nsp":"/"}]
	// /admin rejected bad_signature
}
