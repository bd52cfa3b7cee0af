namespace RedisPriorityTransport.Dashboard.Endpoints;

/// <summary>The user's role does not allow what the request asks; answered with 403 and nothing changed.</summary>
internal sealed class DashboardForbiddenException(string message) : Exception(message);
