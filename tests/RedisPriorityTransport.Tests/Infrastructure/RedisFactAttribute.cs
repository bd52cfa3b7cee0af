using Xunit.Abstractions;
using Xunit.Sdk;

namespace RedisPriorityTransport.Tests.Infrastructure;

/// <summary>
/// Thrown by a fixture or test when the Redis it needs cannot exist on this machine (for example no <c>redis-cli</c>
/// for a cluster); a <see cref="RedisFactAttribute"/> test reports it as skipped with the message as the reason.
/// </summary>
public sealed class SkipTestException(string reason) : Exception(reason);

/// <summary>
/// A <see cref="FactAttribute"/> whose test is reported as skipped, not failed, when it (or its class's
/// initialisation) throws <see cref="SkipTestException"/>. Engine tests use it so the same test can run against the
/// standalone server and, when it can be started, a Redis Cluster.
/// </summary>
[XunitTestCaseDiscoverer("RedisPriorityTransport.Tests.Infrastructure.RedisFactDiscoverer", "RedisPriorityTransport.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RedisFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="RedisFactAttribute"/> tests.</summary>
public sealed class RedisFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        [new SkippableTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
}

/// <summary>A test case that turns a <see cref="SkipTestException"/> failure into a skip.</summary>
public sealed class SkippableTestCase : XunitTestCase
{
    /// <summary>For the xunit de-serializer only.</summary>
    [Obsolete("Called by the de-serializer only.")]
    public SkippableTestCase()
    {
    }

    /// <summary>Creates the test case.</summary>
    public SkippableTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
        : base(diagnosticMessageSink, display, options, testMethod)
    {
    }

    /// <inheritdoc />
    public override async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments,
        ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        var bus = new SkipTranslatingMessageBus(messageBus);
        var summary = await base.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        summary.Failed -= bus.Skipped;
        summary.Skipped += bus.Skipped;
        return summary;
    }

    sealed class SkipTranslatingMessageBus(IMessageBus inner) : IMessageBus
    {
        public int Skipped { get; private set; }

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && failed.ExceptionTypes.FirstOrDefault() == typeof(SkipTestException).FullName)
            {
                Skipped++;
                return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault() ?? "skipped"));
            }

            return inner.QueueMessage(message);
        }

        public void Dispose()
        {
        }
    }
}
