#!/usr/bin/env python3
"""Writes the kubeadm configuration API field trees (v1beta3, v1beta4) that the cluster tests check
Capstan's rendered kubeadm config files against:
Tests/Fixtures/cluster/kubeadm-fields.json.

The facts come from kubeadm's API reference (kubernetes.io/docs/reference/config-api/
kubeadm-config.v1beta3/ and .v1beta4/, as of Kubernetes 1.31, and the Go types they are generated
from: cmd/kubeadm/app/apis/kubeadm/v1beta{3,4}/types.go). Each kind maps a JSON field name to
None (a scalar, a list of scalars or a free map), to a dict (a nested object) or to [dict] (a list
of objects). "required" lists the fields kubeadm needs in each kind for what Capstan does.
Run: python3 Tests/oracles/kubeadm-fields.py
"""
import copy
import json
import os

API_ENDPOINT = {"advertiseAddress": None, "bindPort": None}
TAINT = {"key": None, "value": None, "effect": None, "timeAdded": None}
ARG = {"name": None, "value": None}
HOST_PATH_MOUNT = {"name": None, "hostPath": None, "mountPath": None, "readOnly": None, "pathType": None}
BOOTSTRAP_TOKEN = {"token": None, "description": None, "ttl": None, "expires": None, "usages": None, "groups": None}
PATCHES = {"directory": None}


def v1beta3():
    node_registration = {
        "name": None, "criSocket": None, "taints": [TAINT], "kubeletExtraArgs": None,
        "ignorePreflightErrors": None, "imagePullPolicy": None,
    }
    component = {"extraArgs": None, "extraVolumes": [HOST_PATH_MOUNT]}
    image_meta = {"imageRepository": None, "imageTag": None}
    local_etcd = dict(image_meta, dataDir=None, extraArgs=None, serverCertSANs=None, peerCertSANs=None)
    external_etcd = {"endpoints": None, "caFile": None, "certFile": None, "keyFile": None}
    discovery = {
        "bootstrapToken": {"token": None, "apiServerEndpoint": None, "caCertHashes": None,
                           "unsafeSkipCAVerification": None},
        "file": {"kubeConfigPath": None}, "tlsBootstrapToken": None, "timeout": None,
    }
    return {
        "InitConfiguration": {
            "apiVersion": None, "kind": None, "bootstrapTokens": [BOOTSTRAP_TOKEN],
            "nodeRegistration": node_registration, "localAPIEndpoint": API_ENDPOINT,
            "certificateKey": None, "skipPhases": None, "patches": PATCHES,
        },
        "ClusterConfiguration": {
            "apiVersion": None, "kind": None, "etcd": {"local": local_etcd, "external": external_etcd},
            "networking": {"serviceSubnet": None, "podSubnet": None, "dnsDomain": None},
            "kubernetesVersion": None, "controlPlaneEndpoint": None,
            "apiServer": dict(component, certSANs=None, timeoutForControlPlane=None),
            "controllerManager": component, "scheduler": component, "dns": image_meta,
            "certificatesDir": None, "imageRepository": None, "featureGates": None, "clusterName": None,
        },
        "JoinConfiguration": {
            "apiVersion": None, "kind": None, "nodeRegistration": node_registration, "caCertPath": None,
            "discovery": discovery,
            "controlPlane": {"localAPIEndpoint": API_ENDPOINT, "certificateKey": None},
            "skipPhases": None, "patches": PATCHES,
        },
    }


def v1beta4():
    kinds = copy.deepcopy(v1beta3())
    # Extra arguments became lists of {name, value}; extra environment variables were added.
    env = [{"name": None, "value": None, "valueFrom": None}]
    component = {"extraArgs": [ARG], "extraVolumes": [HOST_PATH_MOUNT], "extraEnvs": env}
    timeouts = {
        "controlPlaneComponentHealthCheck": None, "kubeletHealthCheck": None, "kubernetesAPICall": None,
        "etcdAPICall": None, "tlsBootstrap": None, "discovery": None, "upgradeManifests": None,
    }
    for kind in ("InitConfiguration", "JoinConfiguration"):
        kinds[kind]["nodeRegistration"]["kubeletExtraArgs"] = [ARG]
        kinds[kind]["dryRun"] = None
        kinds[kind]["timeouts"] = timeouts
    # The discovery timeout moved to timeouts.discovery.
    del kinds["JoinConfiguration"]["discovery"]["timeout"]
    cluster = kinds["ClusterConfiguration"]
    cluster["apiServer"] = dict(component, certSANs=None)
    cluster["controllerManager"] = component
    cluster["scheduler"] = component
    cluster["etcd"]["local"]["extraArgs"] = [ARG]
    cluster["etcd"]["local"]["extraEnvs"] = env
    cluster["dns"] = {"imageRepository": None, "imageTag": None, "disabled": None}
    cluster["proxy"] = {"disabled": None}
    cluster["encryptionAlgorithm"] = None
    cluster["certificateValidityPeriod"] = None
    cluster["caCertificateValidityPeriod"] = None
    return kinds


REQUIRED = {
    "InitConfiguration": [["apiVersion"], ["kind"], ["localAPIEndpoint", "advertiseAddress"]],
    "ClusterConfiguration": [["apiVersion"], ["kind"], ["kubernetesVersion"], ["networking", "podSubnet"],
                             ["networking", "serviceSubnet"]],
    "JoinConfiguration": [["apiVersion"], ["kind"], ["discovery", "bootstrapToken", "token"],
                          ["discovery", "bootstrapToken", "apiServerEndpoint"],
                          ["discovery", "bootstrapToken", "caCertHashes"]],
}

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "Fixtures", "cluster", "kubeadm-fields.json")
    data = {"v1beta3": v1beta3(), "v1beta4": v1beta4(), "required": REQUIRED}
    with open(out, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
