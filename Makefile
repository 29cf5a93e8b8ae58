# Every target is one line and calls a script in hack/.
PROVIDER ?= aws
CONTROLLER ?= reference
CONTROLLER_COMMAND ?=
SEEDS ?= 10
N ?= 100
SEED ?=
KIND_CLUSTER ?= machine-conformance
CLUSTER ?= envtest

.PHONY: conformance conformance-remote differential bench-scale test test-short envtest-assets controller bench soak kind-node-image kind-up kind-down dev
conformance:     ; CLUSTER=$(CLUSTER) KIND_CLUSTER=$(KIND_CLUSTER) CONTROLLER=$(CONTROLLER) CONTROLLER_COMMAND=$(CONTROLLER_COMMAND) hack/conformance.sh $(PROVIDER)
differential:    ; hack/differential.sh $(PROVIDER)
conformance-remote: ; hack/conformance-remote.sh
test:            ; hack/test.sh
test-short:      ; hack/test.sh -short
envtest-assets:  ; hack/envtest-assets.sh
controller:      ; hack/build.sh
bench:           ; hack/bench.sh
bench-scale:     ; hack/bench-scale.sh $(N)
soak:            ; SEEDS=$(SEEDS) SEED=$(SEED) hack/soak.sh
kind-node-image: ; hack/kind-node-image.sh
kind-up:         ; hack/kind-up.sh $(KIND_CLUSTER)
kind-down:       ; hack/kind-down.sh $(KIND_CLUSTER)
dev:             ; hack/kind-dev.sh $(PROVIDER) $(KIND_CLUSTER)
