<#
.SYNOPSIS
  Build the ledger program (desktop_app) for Windows: PyInstaller bundle + NSIS installer, both in dist\.

.DESCRIPTION
  1. creates a virtual environment in build\venv (Python 3.11, 64-bit) unless -NoVenv;
  2. pip install .[build]  (the program, its dependencies and PyInstaller);
  3. pyinstaller installer\desktop_app.spec  ->  dist\desktop_app\desktop_app.exe
  4. runs the bundle: --version and --smoke on a fresh database (QT_QPA_PLATFORM=offscreen);
  5. makensis installer\desktop_app.nsi     ->  dist\desktop_app-<version>-win64-installer.exe

  Needs: Python 3.11 x64 (py launcher or -Python), NSIS 3 (winget install NSIS.NSIS /
  choco install nsis), internet access for pip (or a local wheelhouse: -PipArgs "--no-index","--find-links","D:\wheels").

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
.EXAMPLE
  .\installer\build_windows.ps1 -Python C:\Python311\python.exe -SkipInstaller
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [switch]$NoVenv,
    [switch]$SkipInstaller,
    [switch]$SkipSmoke,
    [string[]]$PipArgs = @()
)

$ErrorActionPreference = "Stop"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..")).Path
Set-Location $Root

function Invoke-Checked {
    param([string]$What, [scriptblock]$Block)
    Write-Host "== $What"
    & $Block
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

# Runs the (windowed) bundle with redirected output, so its prints reach us and the exit code is real.
function Invoke-Bundle {
    param([string]$Exe, [string[]]$Arguments)
    $out = Join-Path $env:TEMP "desktop_app_out.txt"
    $err = Join-Path $env:TEMP "desktop_app_err.txt"
    $p = Start-Process -FilePath $Exe -ArgumentList $Arguments -Wait -PassThru -NoNewWindow `
        -RedirectStandardOutput $out -RedirectStandardError $err
    $text = ((Get-Content $out -Raw -Encoding UTF8) + (Get-Content $err -Raw -Encoding UTF8))
    if ($text) { Write-Host $text.Trim() }
    if ($p.ExitCode -ne 0) { throw "desktop_app.exe $($Arguments -join ' ') failed (exit code $($p.ExitCode))" }
    return $text
}

# --- Python ---------------------------------------------------------------------------------------
if (-not $Python) {
    if (Get-Command py -ErrorAction SilentlyContinue) { $Python = (& py -3.11 -c "import sys; print(sys.executable)") }
    else { $Python = (Get-Command python).Source }
}
if ($NoVenv) {
    $py = $Python
} else {
    $venv = Join-Path $Root "build\venv"
    if (-not (Test-Path (Join-Path $venv "Scripts\python.exe"))) {
        Invoke-Checked "create venv $venv" { & $Python -m venv $venv }
    }
    $py = Join-Path $venv "Scripts\python.exe"
}
Invoke-Checked "check Python is 64-bit 3.11+" {
    & $py -c "import struct, sys; assert sys.version_info >= (3, 11) and struct.calcsize('P') == 8, sys.version"
}
Invoke-Checked "pip install --upgrade pip" { & $py -m pip install --upgrade pip @PipArgs }
Invoke-Checked "pip install .[build]" { & $py -m pip install ".[build]" @PipArgs }

$version = (& $py installer\version_info.py --version).Trim()
Write-Host "== version $version"

# --- bundle ---------------------------------------------------------------------------------------
$sw = [Diagnostics.Stopwatch]::StartNew()
Invoke-Checked "pyinstaller installer\desktop_app.spec" {
    & $py -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller installer\desktop_app.spec
}
$bundle = Join-Path $Root "dist\desktop_app"
$exe = Join-Path $bundle "desktop_app.exe"
$sizeMB = [math]::Round(((Get-ChildItem $bundle -Recurse -File | Measure-Object Length -Sum).Sum / 1MB), 1)
Write-Host "== bundle built in $([math]::Round($sw.Elapsed.TotalSeconds)) s, $sizeMB MB unpacked"

if (-not $SkipSmoke) {
    $env:QT_QPA_PLATFORM = "offscreen"
    try {
        $text = Invoke-Bundle $exe @("--version")
        if ($text -notmatch [regex]::Escape($version)) { Write-Warning "--version printed no version (output not captured?)" }
        $db = Join-Path $env:TEMP ("desktop_app_smoke_{0}.sqlite3" -f [guid]::NewGuid())
        Invoke-Bundle $exe @("--smoke", "--db", "`"$db`"") | Out-Null
        Remove-Item "$db*" -ErrorAction SilentlyContinue
    } finally {
        Remove-Item Env:\QT_QPA_PLATFORM -ErrorAction SilentlyContinue
    }
}

# --- installer ------------------------------------------------------------------------------------
if (-not $SkipInstaller) {
    $makensis = Get-Command makensis -ErrorAction SilentlyContinue
    if ($makensis) { $makensis = $makensis.Source }
    else {
        foreach ($dir in @(${env:ProgramFiles(x86)}, $env:ProgramFiles)) {
            if ($dir -and (Test-Path (Join-Path $dir "NSIS\makensis.exe"))) { $makensis = Join-Path $dir "NSIS\makensis.exe"; break }
        }
    }
    if (-not $makensis) { throw "makensis not found: install NSIS 3 (winget install NSIS.NSIS, or choco install nsis)" }
    $dist = Join-Path $Root "dist"
    Invoke-Checked "makensis installer\desktop_app.nsi" {
        & $makensis /V2 "/DVERSION=$version" "/DBUNDLE_DIR=$bundle" "/DOUT_DIR=$dist" installer\desktop_app.nsi
    }
    $installer = Join-Path $dist "desktop_app-$version-win64-installer.exe"
    if (-not (Test-Path $installer)) { throw "installer not written: $installer" }
    Write-Host "== installer: $installer ($([math]::Round((Get-Item $installer).Length / 1MB, 1)) MB)"
}
