namespace RedisPriorityTransport;

/// <summary>Thrown when an urgency outside the 0..10 scale reaches the library.</summary>
public sealed class InvalidUrgencyException : ArgumentOutOfRangeException
{
    /// <summary>Creates the exception for <paramref name="value"/>, naming <paramref name="messageType"/> when known.</summary>
    public InvalidUrgencyException(int value, Type? messageType)
        : base("urgency", value, BuildMessage(value, messageType))
    {
        Value = value;
        MessageType = messageType;
    }

    /// <summary>The rejected value.</summary>
    public int Value { get; }

    /// <summary>The message type the value was given for, when known.</summary>
    public Type? MessageType { get; }

    static string BuildMessage(int value, Type? messageType) =>
        messageType is null
            ? $"Urgency {value} is outside the scale {UrgencyScale.Min}..{UrgencyScale.Max}."
            : $"Urgency {value} of message type {messageType.FullName} is outside the scale {UrgencyScale.Min}..{UrgencyScale.Max}.";
}
