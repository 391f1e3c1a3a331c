package main

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// engineWatch decides when the engine that started this host is gone.
//
// DECISION: the engine is gone after `misses` consecutive health probes, `interval` apart, that find nothing
// listening at its address (gRPC Unavailable: connection refused or reset). That takes about three seconds after
// `pulumi` dies, even by SIGKILL, where the official host's five-minute health interval leaves it lingering. A
// probe that times out (DeadlineExceeded: something still holds the port, e.g. a suspended `pulumi`) does not
// count: a live engine that is merely slow or stopped must never lose its language host.
type engineWatch struct {
	address  string
	interval time.Duration
	timeout  time.Duration
	misses   int
}

func newEngineWatch(address string) engineWatch {
	return engineWatch{address: address, interval: time.Second, timeout: 2 * time.Second, misses: 3}
}

// run probes the engine until ctx ends or the engine is gone, then calls gone once.
func (w engineWatch) run(ctx context.Context, gone func()) error {
	conn, err := grpc.NewClient(w.address, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	go func() {
		defer conn.Close()
		health := healthpb.NewHealthClient(conn)
		ticker := time.NewTicker(w.interval)
		defer ticker.Stop()
		missed := 0
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
			probe, cancel := context.WithTimeout(ctx, w.timeout)
			_, err := health.Check(probe, &healthpb.HealthCheckRequest{})
			cancel()
			if ctx.Err() != nil {
				return
			}
			if status.Code(err) == codes.Unavailable {
				missed++
			} else {
				missed = 0 // answered (Unimplemented counts as alive, as for the official host), or merely slow
			}
			if missed >= w.misses {
				gone()
				return
			}
		}
	}()
	return nil
}
