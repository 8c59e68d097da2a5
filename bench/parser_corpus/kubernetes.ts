/** Generated Kubernetes kubelet / containerd messages (klog-style, after the header). @module */
import type { CorpusFamily } from "./corpus_template.ts";

/** kubelet and containerd messages with pods, namespaces, container ids and endpoints. */
export const kubernetes: CorpusFamily = {
  name: "Kubernetes",
  describes: "kubelet / containerd",
  templates: [
    `"SyncLoop (PLEG): event for pod" pod="{word}/{pod}" event={"ID":"{uuid}","Type":"ContainerStarted","Data":"{hex}"}`,
    `"Killing container with a grace period" pod="{word}/{pod}" podUID="{uuid}" containerName="{word}" containerID="containerd://{hex}" gracePeriod=30`,
    `"Probe failed" probeType="Readiness" pod="{word}/{pod}" podUID="{uuid}" containerName="{word}" probeResult="failure" output="Get \\"http://{ip}:{port}/ready\\": dial tcp {ip}:{port}: connect: connection refused"`,
    `"Probe failed" probeType="Liveness" pod="{word}/{pod}" podUID="{uuid}" containerName="{word}" probeResult="failure" output="HTTP probe failed with statuscode: {status}"`,
    `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"{word}\\" with CrashLoopBackOff: \\"back-off {dur} restarting failed container={word} pod={pod}_{word}({uuid})\\"" pod="{word}/{pod}"`,
    `"Volume detached for volume" volume="kube-api-access-{hex}" nodeName="{host}" devicePath=""`,
    `"RemoveContainer" containerID="{hex}"`,
    `StartContainer for "{hex}" returns successfully`,
    `CreateContainer within sandbox "{hex}" for container &ContainerMetadata{Name:{word},Attempt:{num},}`,
    `shim disconnected id={hex} namespace=k8s.io`,
    `cleaning up dead shim namespace=k8s.io`,
    `"Pulling image" image="registry.{host}/{word}:{num}.{num}.{num}"`,
    `"Successfully pulled image" image="registry.{host}/{word}:{num}.{num}.{num}" duration="{dur}"`,
    `"Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"`,
  ],
};
