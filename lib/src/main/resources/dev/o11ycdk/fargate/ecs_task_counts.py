"""ECS task counts for ServiceTasksGone (o11y-cdk EcsTaskCounts).

Every minute: each ECS service of the clusters in CLUSTERS (comma-separated names), from ListServices
and DescribeServices. For a service that wants tasks (desiredCount > 0) and runs none, its desired and
running counts go to CloudWatch (NAMESPACE, dimensions ClusterName and ServiceName). Nothing is
published for any other service, so the metrics, and what the CloudWatch exporter reads of them, cost
nothing while every service runs. Prints one line per run.
"""
import datetime
import os

import boto3

PAGE = 100
DESCRIBE = 10
# Metrics per PutMetricData call: 8 form fields each keeps a call under the 1,000 fields a query-protocol server parses.
PUT = 50


def gone(clusters, ecs):
    """(cluster, service, desired, running) of every service that wants tasks and runs none."""
    found = []
    for cluster in clusters:
        arns = []
        for page in ecs.get_paginator("list_services").paginate(cluster=cluster, PaginationConfig={"PageSize": PAGE}):
            arns.extend(page["serviceArns"])
        for i in range(0, len(arns), DESCRIBE):
            for s in ecs.describe_services(cluster=cluster, services=arns[i:i + DESCRIBE])["services"]:
                if s.get("status") == "ACTIVE" and s["desiredCount"] > 0 and s["runningCount"] == 0:
                    found.append((cluster, s["serviceName"], s["desiredCount"], s["runningCount"]))
    return found


def handler(event, context):
    clusters = [c for c in os.environ["CLUSTERS"].split(",") if c]
    namespace = os.environ["NAMESPACE"]
    services = gone(clusters, boto3.client("ecs"))
    now = datetime.datetime.now(datetime.timezone.utc)
    data = []
    for cluster, service, desired, running in services:
        dims = [{"Name": "ClusterName", "Value": cluster}, {"Name": "ServiceName", "Value": service}]
        data.append({"MetricName": "DesiredTaskCount", "Dimensions": dims, "Timestamp": now, "Value": desired, "Unit": "Count"})
        data.append({"MetricName": "RunningTaskCount", "Dimensions": dims, "Timestamp": now, "Value": running, "Unit": "Count"})
    cloudwatch = boto3.client("cloudwatch")
    for i in range(0, len(data), PUT):
        cloudwatch.put_metric_data(Namespace=namespace, MetricData=data[i:i + PUT])
    print("ecs-task-counts: %d clusters, %d services without running tasks: %s"
          % (len(clusters), len(services), ", ".join("%s/%s" % (c, s) for c, s, _, _ in services) or "none"))
    return {"gone": len(services)}
