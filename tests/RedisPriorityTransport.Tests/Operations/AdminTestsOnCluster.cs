using RedisPriorityTransport.Tests.Infrastructure;

namespace RedisPriorityTransport.Tests.Operations;

// The admin tests again on a three-master Redis Cluster: every admin script touches one hash slot, the queue registry
// and memory sampling are single commands routed by key.

[Collection(RedisClusterFixture.CollectionName)]
public sealed class QueueListingTestsOnCluster(RedisClusterFixture cluster) : QueueListingTests(cluster.GetServerAsync);

[Collection(RedisClusterFixture.CollectionName)]
public sealed class BrowseTestsOnCluster(RedisClusterFixture cluster) : BrowseTests(cluster.GetServerAsync);

[Collection(RedisClusterFixture.CollectionName)]
public sealed class PriorityChangeTestsOnCluster(RedisClusterFixture cluster) : PriorityChangeTests(cluster.GetServerAsync);

[Collection(RedisClusterFixture.CollectionName)]
public sealed class CancelRedrivePurgeTestsOnCluster(RedisClusterFixture cluster) : CancelRedrivePurgeTests(cluster.GetServerAsync);

[Collection(RedisClusterFixture.CollectionName)]
public sealed class HistoryTestsOnCluster(RedisClusterFixture cluster) : HistoryTests(cluster.GetServerAsync);

[Collection(RedisClusterFixture.CollectionName)]
public sealed class PauseAndRateLimitTestsOnCluster(RedisClusterFixture cluster) : PauseAndRateLimitTests(cluster.GetServerAsync);
