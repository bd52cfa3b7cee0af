namespace RedisPriorityTransport.Redis;

/// <summary>The lease tokens one reserve may hand out: <c>Prefix</c> followed by First..First+Count-1 in 9 digits.</summary>
internal readonly record struct LeaseTokenRange(string Prefix, long First, int Count);
