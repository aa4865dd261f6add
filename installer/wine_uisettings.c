/* A stand-in for the WinRT class Windows.UI.ViewManagement.UISettings, for Wine 8.0 only (test harness).
 *
 * Qt 6's windows platform plugin (qwindows.dll, Qt >= 6.5) creates a UISettings object for the accent
 * colours of the system palette; Wine 8.0 has no windows.ui.dll, RoGetActivationFactory fails, C++/WinRT
 * throws and the program ends (exit 9) before its first window. Windows 10 (1809 and later) has the class;
 * Wine has it from 8.x on (windows.ui.dll). installer/check_windows.sh builds this file with mingw-w64 and
 * registers it under HKLM\Software\Microsoft\WindowsRuntime\ActivatableClassId\Windows.UI.ViewManagement.
 * UISettings (where Wine's combase looks for a class's DLL), so the real program can be run on the real
 * windows platform. It answers with Windows 10's default light colours (accent #0078D7); nothing of it goes
 * into the bundle or the installer.
 *
 * Every interface Qt asks for that is not here is written to stderr ("wine_uisettings: no interface ...").
 */
#define COBJMACROS
#include <windows.h>
#include <stdio.h>

typedef struct { BYTE A, R, G, B; } WinColor;
typedef struct { INT64 value; } EventToken;
typedef void *HSTRING_; /* HSTRING */

static const GUID IID_IUnknown_ = {0x00000000, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
static const GUID IID_IInspectable_ = {0xAF86E2E0, 0xB12D, 0x4C6A, {0x9C, 0x5A, 0xD7, 0xAA, 0x65, 0x10, 0x1E, 0x90}};
static const GUID IID_IAgileObject_ = {0x94EA2B94, 0xE9CC, 0x49E0, {0xC0, 0xFF, 0xEE, 0x64, 0xCA, 0x8F, 0x5B, 0x90}};
static const GUID IID_IActivationFactory_ = {0x00000035, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
static const GUID IID_IUISettings = {0x85361600, 0x1C63, 0x4627, {0xBC, 0xB1, 0x3A, 0x89, 0xE0, 0xBC, 0x9C, 0x55}};
static const GUID IID_IUISettings2 = {0xBAD82401, 0x2721, 0x44F9, {0xBB, 0x91, 0x2B, 0xB2, 0x28, 0xBE, 0x44, 0x2F}};
static const GUID IID_IUISettings3 = {0x03021BE4, 0x5254, 0x4781, {0x81, 0x94, 0x51, 0x68, 0xF7, 0xD0, 0x6D, 0x7B}};
static const GUID IID_IUISettings4 = {0x52BB3002, 0x919B, 0x4D6B, {0x9B, 0x78, 0x8D, 0xD6, 0x6F, 0xF4, 0xB9, 0x3B}};
static const GUID IID_IUISettings5 = {0x5349D588, 0x0CB5, 0x5F05, {0xBD, 0x34, 0x70, 0x6B, 0x32, 0x31, 0xF0, 0xBD}};
static const GUID IID_IUISettings6 = {0xAEF19BD7, 0xFE31, 0x5A04, {0xAD, 0xA4, 0x46, 0x9A, 0xAE, 0xC6, 0xDF, 0xA9}};

static void log_iid(const char *what, REFIID iid)
{
    fprintf(stderr, "wine_uisettings: no interface %s {%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}\n", what,
            iid->Data1, iid->Data2, iid->Data3, iid->Data4[0], iid->Data4[1], iid->Data4[2], iid->Data4[3],
            iid->Data4[4], iid->Data4[5], iid->Data4[6], iid->Data4[7]);
    fflush(stderr);
}

/* --- the UISettings object: one interface pointer per interface, all sharing one reference count ----- */
enum { I_SETTINGS, I_SETTINGS2, I_SETTINGS3, I_SETTINGS4, I_SETTINGS5, I_SETTINGS6, N_IFACES };
typedef struct Settings {
    void *vtbl[N_IFACES]; /* vtbl[i] is the interface pointer for interface i */
    LONG refs;
} Settings;

static Settings *outer(void *iface)
{
    void **p = (void **)iface;
    Settings *s;
    /* find the object: each interface pointer is &s->vtbl[i]; the vtables know their index */
    int index = ((INT_PTR *)*p)[-1];
    s = (Settings *)(p - index);
    return s;
}

static HRESULT STDMETHODCALLTYPE s_qi(void *iface, REFIID iid, void **out)
{
    Settings *s = outer(iface);
    int i = -1;
    if (IsEqualGUID(iid, &IID_IUnknown_) || IsEqualGUID(iid, &IID_IInspectable_) ||
        IsEqualGUID(iid, &IID_IAgileObject_) || IsEqualGUID(iid, &IID_IUISettings))
        i = I_SETTINGS;
    else if (IsEqualGUID(iid, &IID_IUISettings2)) i = I_SETTINGS2;
    else if (IsEqualGUID(iid, &IID_IUISettings3)) i = I_SETTINGS3;
    else if (IsEqualGUID(iid, &IID_IUISettings4)) i = I_SETTINGS4;
    else if (IsEqualGUID(iid, &IID_IUISettings5)) i = I_SETTINGS5;
    else if (IsEqualGUID(iid, &IID_IUISettings6)) i = I_SETTINGS6;
    if (i < 0) {
        log_iid("of UISettings", iid);
        *out = NULL;
        return E_NOINTERFACE;
    }
    *out = &s->vtbl[i];
    InterlockedIncrement(&s->refs);
    return S_OK;
}
static ULONG STDMETHODCALLTYPE s_addref(void *iface) { return InterlockedIncrement(&outer(iface)->refs); }
static ULONG STDMETHODCALLTYPE s_release(void *iface)
{
    Settings *s = outer(iface);
    ULONG r = InterlockedDecrement(&s->refs);
    if (!r) HeapFree(GetProcessHeap(), 0, s);
    return r;
}
static HRESULT STDMETHODCALLTYPE s_getiids(void *iface, ULONG *n, GUID **iids) { *n = 0; *iids = NULL; return S_OK; }
static HRESULT STDMETHODCALLTYPE s_classname(void *iface, HSTRING_ *name) { *name = NULL; return E_NOTIMPL; }
static HRESULT STDMETHODCALLTYPE s_trust(void *iface, int *level) { *level = 0; return S_OK; }

/* IUISettings */
static HRESULT STDMETHODCALLTYPE u_hand(void *iface, INT32 *v) { *v = 0; return S_OK; }           /* HandPreference */
static HRESULT STDMETHODCALLTYPE u_size(void *iface, float *sz) { sz[0] = 32; sz[1] = 32; return S_OK; } /* sizes */
static HRESULT STDMETHODCALLTYPE u_scroll(void *iface, float *sz) { sz[0] = 17; sz[1] = 17; return S_OK; }
static HRESULT STDMETHODCALLTYPE u_uint_5(void *iface, UINT32 *v) { *v = 5; return S_OK; }       /* MessageDuration */
static HRESULT STDMETHODCALLTYPE u_true(void *iface, BYTE *v) { *v = 1; return S_OK; }           /* AnimationsEnabled */
static HRESULT STDMETHODCALLTYPE u_false(void *iface, BYTE *v) { *v = 0; return S_OK; }
static HRESULT STDMETHODCALLTYPE u_blink(void *iface, UINT32 *v) { *v = GetCaretBlinkTime(); return S_OK; }
static HRESULT STDMETHODCALLTYPE u_one(void *iface, UINT32 *v) { *v = 1; return S_OK; }          /* CaretWidth */
static HRESULT STDMETHODCALLTYPE u_dclick(void *iface, UINT32 *v) { *v = GetDoubleClickTime(); return S_OK; }
static HRESULT STDMETHODCALLTYPE u_hover(void *iface, UINT32 *v) { *v = 400; return S_OK; }
static HRESULT STDMETHODCALLTYPE u_element(void *iface, INT32 type, WinColor *c)
{
    /* UIElementType 0..: ButtonFace etc.; map the classic ones onto GetSysColor */
    static const int sys[] = {COLOR_BTNFACE, COLOR_BTNTEXT, COLOR_GRAYTEXT, COLOR_HIGHLIGHT, COLOR_HIGHLIGHTTEXT,
                              COLOR_HOTLIGHT, COLOR_WINDOW, COLOR_WINDOWTEXT};
    COLORREF cr = GetSysColor(type >= 0 && type < 8 ? sys[type] : COLOR_WINDOW);
    c->A = 255; c->R = GetRValue(cr); c->G = GetGValue(cr); c->B = GetBValue(cr);
    return S_OK;
}
/* IUISettings2 */
static HRESULT STDMETHODCALLTYPE u_scale(void *iface, double *v) { *v = 1.0; return S_OK; }
/* events: accepted, never raised */
static HRESULT STDMETHODCALLTYPE u_add(void *iface, void *handler, EventToken *t) { t->value = 1; return S_OK; }
static HRESULT STDMETHODCALLTYPE u_remove(void *iface, EventToken t) { return S_OK; }
/* IUISettings3 */
static HRESULT STDMETHODCALLTYPE u_color(void *iface, INT32 type, WinColor *c)
{
    /* UIColorType: Background, Foreground, AccentDark3..1, Accent, AccentLight1..3, Complement */
    static const DWORD rgb[] = {0xFFFFFF, 0x000000, 0x002642, 0x004275, 0x005A9E, 0x0078D7,
                                0x429CE3, 0x76B9ED, 0xA6D8FF, 0x000000};
    DWORD v = type >= 0 && type < 10 ? rgb[type] : 0;
    c->A = 255; c->R = (v >> 16) & 255; c->G = (v >> 8) & 255; c->B = v & 255;
    return S_OK;
}

#define HEAD(index) (void *)(INT_PTR)(index), (void *)s_qi, (void *)s_addref, (void *)s_release, \
                    (void *)s_getiids, (void *)s_classname, (void *)s_trust
/* each table: [index] then the methods; the interface's vtable pointer points past the index */
static void *t_settings[] = {HEAD(I_SETTINGS), u_hand, u_size, u_scroll, u_scroll, u_scroll, u_uint_5, u_true,
                             u_false, u_blink, u_one, u_dclick, u_hover, u_element};
static void *t_settings2[] = {HEAD(I_SETTINGS2), u_scale, u_add, u_remove};
static void *t_settings3[] = {HEAD(I_SETTINGS3), u_color, u_add, u_remove};
static void *t_settings4[] = {HEAD(I_SETTINGS4), u_true, u_add, u_remove};
static void *t_settings5[] = {HEAD(I_SETTINGS5), u_false, u_add, u_remove};
static void *t_settings6[] = {HEAD(I_SETTINGS6), u_add, u_remove, u_add, u_remove};
static void **tables[N_IFACES] = {t_settings, t_settings2, t_settings3, t_settings4, t_settings5, t_settings6};

/* --- the activation factory (a static object) -------------------------------------------------------- */
static HRESULT STDMETHODCALLTYPE f_qi(void *iface, REFIID iid, void **out)
{
    if (IsEqualGUID(iid, &IID_IUnknown_) || IsEqualGUID(iid, &IID_IInspectable_) ||
        IsEqualGUID(iid, &IID_IAgileObject_) || IsEqualGUID(iid, &IID_IActivationFactory_)) {
        *out = iface;
        return S_OK;
    }
    log_iid("of the UISettings factory", iid);
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE f_addref(void *iface) { return 2; }
static ULONG STDMETHODCALLTYPE f_release(void *iface) { return 1; }
static HRESULT STDMETHODCALLTYPE f_activate(void *iface, void **instance)
{
    Settings *s = HeapAlloc(GetProcessHeap(), 0, sizeof(*s));
    int i;
    if (!s) return E_OUTOFMEMORY;
    for (i = 0; i < N_IFACES; i++) s->vtbl[i] = tables[i] + 1;
    s->refs = 1;
    *instance = &s->vtbl[I_SETTINGS];
    return S_OK;
}
static void *t_factory[] = {(void *)f_qi, (void *)f_addref, (void *)f_release, (void *)s_getiids,
                            (void *)s_classname, (void *)s_trust, (void *)f_activate};
static void *factory = t_factory;

__declspec(dllexport) HRESULT WINAPI DllGetActivationFactory(HSTRING_ classid, void **out)
{
    *out = &factory;
    return S_OK;
}
