namespace Samples.Contracts;

// An ETL pipeline whose phases are separate consumers. Only the first message says how urgent the job is; each phase's
// follow-up message inherits the urgency of the message being consumed, so the whole pipeline keeps its priority.

/// <summary>Starts a job: extract the data.</summary>
public record ExtractRequested(Guid JobId, string Dataset, [property: RedisPriorityTransport.Urgency] int Urgency);

/// <summary>Second phase: transform what was extracted (no urgency of its own: inherited).</summary>
public record TransformRequested(Guid JobId, string Dataset, int Rows);

/// <summary>Last phase: load the transformed rows (no urgency of its own: inherited).</summary>
public record LoadRequested(Guid JobId, string Dataset, int Rows);

/// <summary>Published when a job has been loaded.</summary>
public record JobCompleted(Guid JobId, string Dataset, int Rows);
