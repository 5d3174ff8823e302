package io.sluice.security;

/** What an ACL protects. The cluster is a single resource (named {@value #CLUSTER_NAME}). */
public enum ResourceType {
    TOPIC,
    GROUP,
    CLUSTER;

    /** The one name of the cluster resource, as in Kafka. */
    public static final String CLUSTER_NAME = "sluice-cluster";
}
