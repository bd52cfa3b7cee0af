using MassTransit;

namespace RedisPriorityTransport.Dashboard.Tests.Infrastructure;

/// <summary>
/// Logs each start, waits while a test holds its queue, takes <see cref="HandlingTime"/> (a slow handler, so a backlog
/// stays), fails names marked failing.
/// </summary>
public sealed class WorkConsumer(WorkLog log) : IConsumer<WorkItem>
{
    public static readonly TimeSpan HandlingTime = TimeSpan.FromMilliseconds(120);

    public async Task Consume(ConsumeContext<WorkItem> context)
    {
        var queue = context.ReceiveContext.InputAddress is { } address ? Uri.UnescapeDataString(address.Segments[^1].Trim('/')) : "";
        log.Started(queue, context.Message.Name);
        if (log.Failing.ContainsKey(context.Message.Name))
            throw new InvalidOperationException($"{context.Message.Name} failed on purpose: {context.Message.Note}");
        await log.WhileHeldAsync(queue, context.CancellationToken);
        await Task.Delay(HandlingTime, context.CancellationToken);
        log.Completed(queue, context.Message.Name);
    }
}
