using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RedisPriorityTransport.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

/// <summary>A numbered message of the transport restart test.</summary>
/// <param name="Number">The payload number; a retried publish sends the same number again.</param>
public sealed record RestartProbe(int Number);

/// <summary>Records every delivery of a <see cref="RestartProbe"/> with the transport's delivery count.</summary>
public sealed class RestartProbeConsumer(RestartProbeRecorder recorder) : IConsumer<RestartProbe>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<RestartProbe> context)
    {
        var deliveryCount = context.TryGetPayload<RedisMessageContext>(out var redis) ? redis.DeliveryCount : 0;
        recorder.Delivered(context.Message.Number, deliveryCount, context.ReceiveContext.Redelivered);
        // A little work, so that some messages are always running (leased, not yet acknowledged) when Redis dies.
        await Task.Delay(Random.Shared.Next(0, 4), context.CancellationToken);
    }
}

/// <summary>What the consumer of the transport restart test received, thread-safely.</summary>
public sealed class RestartProbeRecorder
{
    readonly ConcurrentDictionary<int, ConcurrentQueue<(int DeliveryCount, bool Redelivered)>> _deliveries = new();
    int _total;

    /// <summary>Deliveries so far, duplicates included.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>Every delivery by payload number.</summary>
    public IReadOnlyDictionary<int, ConcurrentQueue<(int DeliveryCount, bool Redelivered)>> Deliveries => _deliveries;

    /// <summary>Records one delivery.</summary>
    public void Delivered(int number, int deliveryCount, bool redelivered)
    {
        _deliveries.GetOrAdd(number, _ => new ConcurrentQueue<(int, bool)>()).Enqueue((deliveryCount, redelivered));
        Interlocked.Increment(ref _total);
    }

    /// <summary>True once <paramref name="number"/> was delivered at least once.</summary>
    public bool Consumed(int number) => _deliveries.ContainsKey(number);
}

/// <summary>
/// The Redis restart fault at the transport level: a MassTransit host with a <c>UsingRedis</c> bus publishes and sends
/// numbered messages of random urgency and consumes them (8 at a time, 2 s lease) while its Redis (AOF,
/// <c>appendfsync always</c>) is killed with SIGKILL and restarted, then stopped with SHUTDOWN and restarted. Publishes
/// made while Redis is down fail with a Redis exception; the bus reconnects and its endpoint resumes by itself; every
/// publish that returned success is consumed; duplicates come only from publishes in doubt or deliveries in flight at a
/// crash (redelivered with a delivery count of 2 or more); nothing reaches <c>_error</c>; the host keeps running.
/// </summary>
public sealed class TransportRedisRestartTests(ITestOutputHelper output) : DedicatedRedisTestBase("--appendonly", "yes", "--appendfsync", "always")
{
    const string QueueName = "restart-probe";
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    // Traffic that must flow between faults, so that each fault hits a queue with messages ready and in flight.
    const int DeliveriesBetweenFaults = 300;

    [RedisFact]
    public async Task A_bus_rides_out_a_kill_and_a_shutdown_of_Redis_and_loses_nothing()
    {
        var recorder = new RestartProbeRecorder();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(recorder);
        var log = new CountingLoggerProvider();
        builder.Logging.AddProvider(log);
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<RestartProbeConsumer>();
            x.UsingRedis((context, cfg) =>
            {
                cfg.Host(Server.Configuration, h => h.ConfigureOptions(o =>
                {
                    o.ClientName = "rpt-restart-bus";
                    // Reconnect attempts every 500 ms instead of the default exponential back-off (up to 10 s), so that
                    // the time to resume measures the transport, not how long the client happened to back off.
                    o.ReconnectRetryPolicy = new LinearRetry(500);
                }));
                cfg.ReceiveEndpoint(QueueName, e =>
                {
                    e.ConcurrentMessageLimit = 8;
                    // Leases stranded by a crash (acknowledgements that failed) come back after 2 s.
                    e.LockDuration = TimeSpan.FromSeconds(2);
                    e.ConfigureConsumer<RestartProbeConsumer>(context);
                });
            });
        });
        using var host = builder.Build();
        await host.StartAsync();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var bus = host.Services.GetRequiredService<IBusControl>();
        var (observer, _) = await OpenQueueAsync("rpt-restart-observer", QueueName);
        var (errors, _) = await OpenQueueAsync("rpt-restart-observer-error", QueueName + "_error");
        var (skipped, _) = await OpenQueueAsync("rpt-restart-observer-skipped", QueueName + "_skipped");

        var publisher = new ProbePublisher(bus, QueueName);
        var publishing = publisher.RunAsync();
        try
        {
            await WaitForDeliveriesAsync(recorder, recorder.Total + DeliveriesBetweenFaults, "traffic before the first fault");

            (string Name, Func<Task> Stop)[] faults =
            [
                ("kill -9", () => { Server.Kill(); return Task.CompletedTask; }),
                ("SHUTDOWN", () => Server.ShutdownAsync()),
            ];
            var rounds = FaultRounds.Scale(faults.Length);
            var resumeTimes = new List<string>();
            for (var round = 0; round < rounds; round++)
            {
                var (fault, stop) = faults[round % faults.Length];
                var failuresBefore = publisher.FailedAttempts;
                var down = Stopwatch.StartNew();
                await stop();
                // Not only the publishes in flight at the crash: one made after Redis was gone, and still failing when
                // the client has long known it is disconnected (500 ms on), must fail too, clearly, instead of hanging.
                var stoppedAt = Stopwatch.GetTimestamp();
                await Eventually.HoldsAsync(() => Task.FromResult(publisher.FailureStartedAfter(stoppedAt) is not null), Patience,
                    $"a publish made while Redis is down after {fault} to fail");
                var (failedIn, failedWith) = publisher.FailureStartedAfter(stoppedAt)!.Value;
                var failedAfter = down.ElapsedMilliseconds;

                await Server.RestartAsync();
                var sinceRestart = Stopwatch.StartNew();
                var (deliveriesAtRestart, publishedAtRestart) = (recorder.Total, publisher.Succeeded);
                await Eventually.HoldsAsync(() => Task.FromResult(publisher.Succeeded > publishedAtRestart), Patience,
                    $"a publish to succeed again after the restart that followed {fault}");
                var publishResumed = sinceRestart.ElapsedMilliseconds;
                // Nobody touches the bus: its endpoint must reserve again by itself.
                await Eventually.HoldsAsync(() => Task.FromResult(recorder.Total > deliveriesAtRestart), Patience,
                    $"the endpoint to consume again by itself after the restart that followed {fault}");
                var consumeResumed = sinceRestart.ElapsedMilliseconds;
                await WaitForDeliveriesAsync(recorder, deliveriesAtRestart + DeliveriesBetweenFaults, $"traffic after the restart that followed {fault}");
                resumeTimes.Add($"{consumeResumed}");
                output.WriteLine($"{fault}: a publish made while Redis was down failed after {failedIn} ms with {failedWith} " +
                                 $"({publisher.FailedAttempts - failuresBefore} failed attempts in this outage, {failedAfter} ms after the stop); " +
                                 $"Redis down {down.ElapsedMilliseconds - sinceRestart.ElapsedMilliseconds} ms; after the restart publishing resumed in {publishResumed} ms, " +
                                 $"consuming in {consumeResumed} ms, {DeliveriesBetweenFaults} more deliveries in {sinceRestart.ElapsedMilliseconds} ms");
            }

            await publisher.StopAsync(publishing);
            var confirmed = publisher.Confirmed;
            await Eventually.HoldsAsync(async () =>
            {
                if (!confirmed.All(recorder.Consumed))
                    return false;
                var counts = await observer.GetCountsAsync();
                return counts is { Ready: 0, InFlight: 0, Delayed: 0 };
            }, Patience, "every confirmed publish to be consumed and the queue to be empty (ready, in flight and delayed)");

            // The same host, untouched since before the faults, still consumes: its endpoint and bus are alive.
            var final = await bus.GetSendEndpoint(new Uri($"queue:{QueueName}"));
            await final.Send(new RestartProbe(-1));
            await Eventually.HoldsAsync(() => Task.FromResult(recorder.Consumed(-1)), Patience, "a message sent after the faults to be consumed");
            var health = bus.CheckHealth();
            // The restarted server had no scripts: the bus's script calls got NOSCRIPT and reloaded them (errorstats
            // count since the last restart only).
            var noscript = (await Server.CommandAsync("INFO", "errorstats")).Split('\n').Select(l => l.Trim())
                .FirstOrDefault(l => l.StartsWith("errorstat_NOSCRIPT:", StringComparison.Ordinal)) ?? "errorstat_NOSCRIPT: none";
            var errorCounts = await errors.GetCountsAsync();
            var skippedCounts = await skipped.GetCountsAsync();

            var inDoubt = publisher.InDoubt;
            var deliveries = recorder.Deliveries.Where(d => d.Key >= 0).ToDictionary(d => d.Key, d => d.Value.ToArray());
            var duplicated = deliveries.Values.Sum(d => d.Length - 1);
            var lost = confirmed.Count(n => !deliveries.ContainsKey(n));
            var redelivered = deliveries.Where(d => d.Value.Any(x => x.DeliveryCount >= 2 || x.Redelivered)).Select(d => d.Key).ToHashSet();
            var duplicatedInDoubt = deliveries.Count(d => d.Value.Length > 1 && inDoubt.Contains(d.Key));
            var duplicatedRedelivered = deliveries.Count(d => d.Value.Length > 1 && !inDoubt.Contains(d.Key) && redelivered.Contains(d.Key));
            // A second delivery is explained by a publish in doubt (its first attempt may have landed, the retry is a new
            // message) or by a redelivery: a lease stranded by the crash (acknowledgement failed) expired.
            var unexplained = deliveries.Where(d => d.Value.Length > 1 && !inDoubt.Contains(d.Key) && !redelivered.Contains(d.Key)).Select(d => d.Key).ToList();
            var unconfirmed = deliveries.Keys.Where(n => !confirmed.Contains(n)).ToList();

            output.WriteLine($"Redis restart x{rounds} (kill -9 and SHUTDOWN in turn), UsingRedis bus, 8 concurrent, lease 2 s: " +
                             $"published {confirmed.Count} ({publisher.Published} by Publish, {publisher.Sent} by Send), " +
                             $"failed publish attempts {publisher.FailedAttempts} ({publisher.FailuresByType}), in doubt {inDoubt.Count} numbers; " +
                             $"consumed {confirmed.Count(deliveries.ContainsKey)}, deliveries {deliveries.Values.Sum(d => d.Length)}, " +
                             $"duplicated {duplicated} ({duplicatedInDoubt} of a publish in doubt, {duplicatedRedelivered} redelivered after a stranded lease), " +
                             $"redelivered messages {redelivered.Count}, unexplained duplicates {unexplained.Count}, lost {lost}; " +
                             $"consumed though never confirmed (a failed attempt had landed) {unconfirmed.Count}; " +
                             $"resume after restart (ms): {string.Join(", ", resumeTimes)}; scripts reloaded after the last restart: {noscript}; " +
                             $"_error {errorCounts.Ready + errorCounts.InFlight}, _skipped {skippedCounts.Ready + skippedCounts.InFlight}; bus health {health.Status}");
            output.WriteLine($"  warnings and errors the bus logged: {log}");
            foreach (var sample in publisher.FailureSamples)
                output.WriteLine($"  publish while down failed with {sample}");

            Assert.Equal(0, lost);
            Assert.Empty(unexplained);
            Assert.All(unconfirmed, n => Assert.Contains(n, inDoubt));
            Assert.Equal(0, errorCounts.Ready + errorCounts.InFlight + errorCounts.Delayed);
            Assert.Equal(0, skippedCounts.Ready + skippedCounts.InFlight + skippedCounts.Delayed);
            Assert.True(publisher.FailedAttempts >= rounds, "Each outage must have made at least one publish fail.");
            Assert.Empty(publisher.UnclearFailures);
            Assert.Equal(BusHealthStatus.Healthy, health.Status);
            Assert.StartsWith("errorstat_NOSCRIPT:count=", noscript);
            Assert.Equal(0, log.Count("Redis receive loop faulted"));
            Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "The host began to stop by itself.");
        }
        finally
        {
            await publisher.StopAsync(publishing);
            await host.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    static Task WaitForDeliveriesAsync(RestartProbeRecorder recorder, int total, string what) =>
        Eventually.HoldsAsync(() => Task.FromResult(recorder.Total >= total), Patience, what);

    /// <summary>
    /// Publishes (even numbers) and sends (odd numbers) consecutive payload numbers of random urgency, one at a time; a
    /// failed attempt is counted by exception type and retried with the same number.
    /// </summary>
    sealed class ProbePublisher(IBus bus, string queueName)
    {
        readonly CancellationTokenSource _stop = new();
        readonly ConcurrentDictionary<int, byte> _confirmed = new();
        readonly ConcurrentDictionary<int, byte> _inDoubt = new();
        readonly ConcurrentDictionary<string, int> _failuresByType = new();
        readonly ConcurrentDictionary<string, string> _failureSamples = new();
        readonly ConcurrentQueue<Exception> _unclear = new();
        readonly ConcurrentQueue<(long StartedAt, long Milliseconds, string Exception)> _failures = new();
        int _failedAttempts;
        int _published;
        int _sent;

        public int Succeeded => _confirmed.Count;

        public int Published => Volatile.Read(ref _published);

        public int Sent => Volatile.Read(ref _sent);

        public int FailedAttempts => Volatile.Read(ref _failedAttempts);

        public IReadOnlySet<int> Confirmed => _confirmed.Keys.ToHashSet();

        public IReadOnlySet<int> InDoubt => _inDoubt.Keys.ToHashSet();

        public string FailuresByType => string.Join(", ", _failuresByType.OrderBy(f => f.Key).Select(f => $"{f.Key} x{f.Value}"));

        public IEnumerable<string> FailureSamples => _failureSamples.Values;

        /// <summary>
        /// How long the first attempt that started after <paramref name="timestamp"/> and failed 500 ms or more after it
        /// took to fail, and with what.
        /// </summary>
        public (long Milliseconds, string Exception)? FailureStartedAfter(long timestamp) =>
            _failures.Where(f => f.StartedAt > timestamp && f.StartedAt + f.Milliseconds * Stopwatch.Frequency / 1000 >= timestamp + Stopwatch.Frequency / 2)
                .Select(f => ((long, string)?)(f.Milliseconds, f.Exception)).FirstOrDefault();

        /// <summary>Failures that are not a Redis connection or timeout error (nor wrap one).</summary>
        public IReadOnlyCollection<Exception> UnclearFailures => _unclear;

        public Task RunAsync() => Task.Run(async () =>
        {
            var random = new Random(5);
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queueName}"));
            for (var number = 0; !_stop.IsCancellationRequested; number++)
            {
                var urgency = (Urgency)random.Next(0, 11);
                while (!_stop.IsCancellationRequested)
                {
                    var startedAt = Stopwatch.GetTimestamp();
                    try
                    {
                        if (number % 2 == 0)
                            await bus.Publish(new RestartProbe(number), context => context.SetUrgency(urgency), _stop.Token);
                        else
                            await endpoint.Send(new RestartProbe(number), context => context.SetUrgency(urgency), _stop.Token);
                        _confirmed[number] = 0;
                        if (number % 2 == 0)
                            Interlocked.Increment(ref _published);
                        else
                            Interlocked.Increment(ref _sent);
                        break;
                    }
                    catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                    {
                        // Stopping: an attempt cut short is in doubt like a failed one.
                        _inDoubt[number] = 0;
                        break;
                    }
                    catch (Exception exception)
                    {
                        // Failed, but it may have reached Redis before the connection went: the retry is a new message.
                        _inDoubt[number] = 0;
                        Interlocked.Increment(ref _failedAttempts);
                        var name = Describe(exception);
                        _failures.Enqueue((startedAt, (long)Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, name));
                        _failuresByType.AddOrUpdate(name, 1, (_, count) => count + 1);
                        _failureSamples.TryAdd(name, $"{name}: {FirstClause(exception.Message)}");
                        if (!IsClear(exception))
                            _unclear.Enqueue(exception);
                        // A back-off between retries of the same number, not a synchronisation.
                        await Task.Delay(50);
                    }
                }

                // Paces the producer a little so the consumer keeps up and the final drain stays short.
                await Task.Delay(1);
            }
        });

        public async Task StopAsync(Task running)
        {
            await _stop.CancelAsync();
            await running;
        }

        // A clear failure is a Redis connection or timeout error, as thrown or as wrapped by MassTransit.
        static bool IsClear(Exception exception) =>
            Chain(exception).Any(e => e is RedisConnectionException or RedisTimeoutException);

        // StackExchange.Redis appends its connection diagnostics after the reason: keep the reason.
        static string FirstClause(string message)
        {
            var reason = message.Split(Environment.NewLine)[0].Split(" - ")[0];
            var diagnostics = reason.IndexOf(" on 127.0.0.1", StringComparison.Ordinal);
            return diagnostics > 0 ? reason[..diagnostics] : reason;
        }

        static string Describe(Exception exception) => string.Join(" > ", Chain(exception).Select(e => e.GetType().Name));

        static IEnumerable<Exception> Chain(Exception exception)
        {
            for (var current = exception; current is not null; current = current.InnerException)
            {
                yield return current;
                if (current is AggregateException { InnerExceptions.Count: > 1 } aggregate)
                {
                    foreach (var inner in aggregate.InnerExceptions.Skip(1))
                        yield return inner;
                }
            }
        }
    }

    /// <summary>Counts the warnings and errors the host logs, by message template, to show what the bus went through.</summary>
    sealed class CountingLoggerProvider : ILoggerProvider
    {
        readonly ConcurrentDictionary<string, int> _counts = new();

        /// <summary>Entries of any level whose template starts with <paramref name="template"/>.</summary>
        public int Count(string template) => _counts.Where(c => c.Key.Contains(": " + template, StringComparison.Ordinal)).Sum(c => c.Value);

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        public override string ToString() =>
            _counts.IsEmpty ? "none" : string.Join("; ", _counts.OrderBy(c => c.Key).Select(c => $"\"{c.Key}\" x{c.Value}"));

        sealed class Logger(CountingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                    return;
                // The template, not the formatted text: addresses and ids would make every line unique.
                var template = state is IEnumerable<KeyValuePair<string, object?>> values
                    ? values.FirstOrDefault(v => v.Key == "{OriginalFormat}").Value as string
                    : null;
                var key = $"{logLevel}: {(template ?? formatter(state, exception)).Split(':')[0]}";
                provider._counts.AddOrUpdate(key, 1, (_, count) => count + 1);
            }
        }
    }
}
