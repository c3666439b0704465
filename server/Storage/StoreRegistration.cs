namespace ServiceHall.Server.Storage;

public static class StoreRegistration
{
    /// <summary>
    /// The stores per concern, each over the one <see cref="StoreDatabase"/> registered before (SQLite or PostgreSQL).
    /// </summary>
    public static IServiceCollection AddStores(this IServiceCollection services)
    {
        services.AddSingleton<StoreSchema>();
        services.AddSingleton<RatingTallies>();
        services.AddSingleton<ProvincialUploadQueue>();
        services.AddSingleton<RatingStore>();
        services.AddSingleton<IRatingStore>(s => s.GetRequiredService<RatingStore>());
        services.AddSingleton<ICaseStore, CaseStore>();
        services.AddSingleton<ICatalogStore, CatalogStore>();
        services.AddSingleton<IAccountStore, AccountStore>();
        services.AddSingleton<IKioskStore, KioskStore>();
        services.AddSingleton<IRatingReviewStore, RatingReviewStore>();
        services.AddSingleton<ITransactionStore, TransactionStore>();
        services.AddSingleton<IPublicationStore, PublicationStore>();
        services.AddSingleton<IDisclosureRequestStore, DisclosureRequestStore>();
        services.AddSingleton<ICaseEvidenceStore, CaseEvidenceStore>();
        services.AddSingleton<IPublishedDocumentStore, PublishedDocumentStore>();
        services.AddSingleton<IEnquiryStore, EnquiryStore>();
        return services;
    }
}
