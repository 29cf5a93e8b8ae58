package openstack

import "net/http"

// Where each API lives below the server's root, as DevStack lays them out.
const (
	computePath = "/compute/v2.1"
	networkPath = "/network"
	volumePath  = "/volume/v3"
	imagePath   = "/image"
)

// Operation names, for fault rules (core.FaultRule.Operation) and the
// event log.
const (
	opCreateToken              = "CreateToken"
	opValidateToken            = "ValidateToken"
	opRevokeToken              = "RevokeToken"
	opCreateServer             = "CreateServer"
	opListServers              = "ListServers"
	opGetServer                = "GetServer"
	opDeleteServer             = "DeleteServer"
	opGetServerMetadata        = "GetServerMetadata"
	opResetServerMetadata      = "ResetServerMetadata"
	opUpdateServerMetadata     = "UpdateServerMetadata"
	opGetServerMetadataItem    = "GetServerMetadataItem"
	opSetServerMetadataItem    = "SetServerMetadataItem"
	opDeleteServerMetadataItem = "DeleteServerMetadataItem"
	opListFlavors              = "ListFlavors"
	opGetFlavor                = "GetFlavor"
	opListAvailabilityZones    = "ListAvailabilityZones"
	opListImages               = "ListImages"
	opGetImage                 = "GetImage"
	opListNetworks             = "ListNetworks"
	opGetNetwork               = "GetNetwork"
	opListSubnets              = "ListSubnets"
	opGetSubnet                = "GetSubnet"
	opListSecurityGroups       = "ListSecurityGroups"
	opGetSecurityGroup         = "GetSecurityGroup"
	opCreatePort               = "CreatePort"
	opListPorts                = "ListPorts"
	opGetPort                  = "GetPort"
	opUpdatePort               = "UpdatePort"
	opDeletePort               = "DeletePort"
	opListPortTags             = "ListPortTags"
	opReplacePortTags          = "ReplacePortTags"
	opAddPortTag               = "AddPortTag"
	opDeletePortTag            = "DeletePortTag"
	opCreateVolume             = "CreateVolume"
	opListVolumes              = "ListVolumes"
	opGetVolume                = "GetVolume"
	opDeleteVolume             = "DeleteVolume"
)

// routes maps every implemented method and path to its action; anything
// else reaches unimplemented.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	add := func(pattern string, rt route) { mux.Handle(pattern, s.endpoint(rt)) }
	doc := func(pattern string, h func(*Server, *call) (reply, error)) { mux.Handle(pattern, s.discovery(h)) }

	doc("GET /{$}", keystoneVersions)
	doc("GET /v3", keystoneV3)
	doc("GET /v3/{$}", keystoneV3)
	add("POST /v3/auth/tokens", route{svc: identityService, op: opCreateToken, public: true, handle: createToken})
	add("GET /v3/auth/tokens", route{svc: identityService, op: opValidateToken, handle: validateToken})
	add("DELETE /v3/auth/tokens", route{svc: identityService, op: opRevokeToken, handle: revokeToken})

	doc("GET /compute/{$}", computeVersions)
	doc("GET "+computePath, computeVersion)
	doc("GET "+computePath+"/{$}", computeVersion)
	compute := func(method, path, op string, h func(*Server, *call) (reply, error)) {
		add(method+" "+computePath+path, route{svc: computeService, op: op, handle: h})
	}
	add("POST "+computePath+"/servers", route{svc: computeService, op: opCreateServer, prepare: prepareCreateServer, handle: createServer})
	compute("GET", "/servers", opListServers, listServers)
	compute("GET", "/servers/detail", opListServers, listServers)
	compute("GET", "/servers/{id}", opGetServer, getServer)
	compute("DELETE", "/servers/{id}", opDeleteServer, deleteServer)
	compute("GET", "/servers/{id}/metadata", opGetServerMetadata, getMetadata)
	compute("PUT", "/servers/{id}/metadata", opResetServerMetadata, resetMetadata)
	compute("POST", "/servers/{id}/metadata", opUpdateServerMetadata, updateMetadata)
	compute("GET", "/servers/{id}/metadata/{key}", opGetServerMetadataItem, getMetadataItem)
	compute("PUT", "/servers/{id}/metadata/{key}", opSetServerMetadataItem, setMetadataItem)
	compute("DELETE", "/servers/{id}/metadata/{key}", opDeleteServerMetadataItem, deleteMetadataItem)
	compute("GET", "/flavors", opListFlavors, listFlavors)
	compute("GET", "/flavors/detail", opListFlavors, listFlavors)
	compute("GET", "/flavors/{id}", opGetFlavor, getFlavor)
	compute("GET", "/os-availability-zone", opListAvailabilityZones, listZones)
	compute("GET", "/images", opListImages, listComputeImages)
	compute("GET", "/images/detail", opListImages, listComputeImages)
	compute("GET", "/images/{id}", opGetImage, getComputeImage)

	doc("GET "+networkPath+"/{$}", networkVersions)
	network := func(method, path, op string, h func(*Server, *call) (reply, error)) {
		add(method+" "+networkPath+"/v2.0"+path, route{svc: networkService, op: op, handle: h})
	}
	network("GET", "/networks", opListNetworks, listNetworks)
	network("GET", "/networks/{id}", opGetNetwork, getNetwork)
	network("GET", "/subnets", opListSubnets, listSubnets)
	network("GET", "/subnets/{id}", opGetSubnet, getSubnet)
	network("GET", "/security-groups", opListSecurityGroups, listSecurityGroups)
	network("GET", "/security-groups/{id}", opGetSecurityGroup, getSecurityGroup)
	network("POST", "/ports", opCreatePort, createPort)
	network("GET", "/ports", opListPorts, listPorts)
	network("GET", "/ports/{id}", opGetPort, getPort)
	network("PUT", "/ports/{id}", opUpdatePort, updatePort)
	network("DELETE", "/ports/{id}", opDeletePort, deletePort)
	network("GET", "/ports/{id}/tags", opListPortTags, listPortTags)
	network("PUT", "/ports/{id}/tags", opReplacePortTags, replacePortTags)
	network("DELETE", "/ports/{id}/tags", opReplacePortTags, deleteAllPortTags)
	network("GET", "/ports/{id}/tags/{tag}", opListPortTags, checkPortTag)
	network("PUT", "/ports/{id}/tags/{tag}", opAddPortTag, addPortTag)
	network("DELETE", "/ports/{id}/tags/{tag}", opDeletePortTag, deletePortTag)

	doc("GET /volume/{$}", volumeVersions)
	volume := func(method, path, op string, h func(*Server, *call) (reply, error)) {
		add(method+" "+volumePath+"/{project}"+path, route{svc: volumeService, op: op, handle: inProject(h)})
	}
	volume("POST", "/volumes", opCreateVolume, createVolume)
	volume("GET", "/volumes", opListVolumes, listVolumes)
	volume("GET", "/volumes/detail", opListVolumes, listVolumes)
	volume("GET", "/volumes/{id}", opGetVolume, getVolume)
	volume("DELETE", "/volumes/{id}", opDeleteVolume, deleteVolume)

	doc("GET "+imagePath+"/{$}", imageVersions)
	add("GET "+imagePath+"/v2/images", route{svc: imageService, op: opListImages, handle: listGlanceImages})
	add("GET "+imagePath+"/v2/images/{id}", route{svc: imageService, op: opGetImage, handle: getGlanceImage})

	mux.Handle("/", http.HandlerFunc(s.unimplemented))
	return mux
}

// discovery serves a version document: no token, no faults, no event.
func (s *Server) discovery(h func(*Server, *call) (reply, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rep, _ := h(s, &call{r: r})
		writeJSON(w, rep.status, rep.body)
	}
}
