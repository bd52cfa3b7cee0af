using MassTransit;

namespace RedisPriorityTransport.Tests.Monitoring;

/// <summary>Runs <see cref="MeteredJob"/>s through a <see cref="JobGate"/>.</summary>
public sealed class MeteredJobConsumer(JobGate gate) : IConsumer<MeteredJob>
{
    public async Task Consume(ConsumeContext<MeteredJob> context)
    {
        gate.Started[context.Message.Id] = true;
        if (context.Message.Hold)
            await gate.WaitOpen();
        if (context.Message.Fail)
            throw new InvalidOperationException($"Job {context.Message.Id} fails on purpose.");
        gate.Finished.Enqueue(context.Message.Id);
    }
}
