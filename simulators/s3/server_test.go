package s3_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	sim "github.com/machine-conformance/machine-conformance/simulators/s3"
)

func TestBootstrapPayloadRoundTripThroughTheSDK(t *testing.T) {
	t.Parallel()
	srv := sim.NewServer(sim.Options{})
	t.Cleanup(srv.Close)
	client := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	ctx := context.Background()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("ignition")}); err != nil {
		t.Fatal(err)
	}
	payload := `{"ignition":{"version":"3.4.0"}}`
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("ignition"), Key: aws.String("m1.json"),
		Body: strings.NewReader(payload)}); err != nil {
		t.Fatal(err)
	}
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ignition"), Key: aws.String("m1.json")})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	got, _ := io.ReadAll(out.Body)
	if string(got) != payload {
		t.Fatalf("got %q", got)
	}
	if _, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ignition"), Key: aws.String("absent")}); err == nil {
		t.Fatal("an absent key was found")
	}
}
