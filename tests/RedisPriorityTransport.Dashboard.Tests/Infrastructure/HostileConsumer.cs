using MassTransit;

namespace RedisPriorityTransport.Dashboard.Tests.Infrastructure;

/// <summary>Always fails, with the message's note (markup included) in the exception, so messages wait in the error queue.</summary>
public sealed class HostileConsumer : IConsumer<HostileItem>
{
    public Task Consume(ConsumeContext<HostileItem> context) =>
        throw new InvalidOperationException("Rejected: " + context.Message.Note);
}
